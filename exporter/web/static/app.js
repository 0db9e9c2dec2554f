// exporter's web page: the few things plain forms cannot do.  Everything works without it.
"use strict";

// Dropping files on the drop zone chooses them and sends the form.
for (const zone of document.querySelectorAll("[data-dropzone]")) {
  const input = zone.querySelector("input[type=file]");
  const form = zone.closest("form");
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("over"); });
  }
  for (const name of ["dragleave", "dragend"]) {
    zone.addEventListener(name, () => zone.classList.remove("over"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
    input.files = event.dataTransfer.files;
    form.requestSubmit();
  });
}

// A briefing being built: ask how far it has got until it is ready.
const job = document.getElementById("job");
if (job) {
  const progress = document.getElementById("job-progress");
  const stage = document.getElementById("job-stage");
  const error = document.getElementById("job-error");
  const download = document.getElementById("job-download");
  const poll = async () => {
    let status;
    try {
      const response = await fetch(job.dataset.statusUrl, { cache: "no-store" });
      status = await response.json();
    } catch (failure) {
      stage.textContent = "Lost touch with the server; reload the page to check again.";
      return;
    }
    if (status.done) {
      progress.value = status.step;
      stage.textContent = status.error ? "Failed" : `Ready (${status.elapsed} s)`;
      if (status.error) { error.textContent = status.error; error.hidden = false; }
      if (status.download) {
        const link = download.querySelector("a");
        link.textContent = `Download ${status.filename}`;
        download.hidden = false;
        link.focus();
      }
      return;
    }
    if (status.step > 0) progress.value = status.step;
    stage.textContent = `${status.stage} (${Math.round(status.elapsed)} s)`;
    setTimeout(poll, 400);
  };
  if (download.hidden && error.hidden) poll();
}
