"""The AST JSON writer: the article's canonical JSON form, byte for byte."""
from __future__ import annotations

from typing import BinaryIO, ClassVar

from . import RenderOptions


class JsonWriter:
    name: ClassVar[str] = "json"
    media_type: ClassVar[str] = "application/json"
    extension: ClassVar[str] = "json"
    uses_style: ClassVar[bool] = False

    def write(self, document, style, out: BinaryIO, options: RenderOptions) -> None:
        out.write(document.to_json().encode("utf-8"))
