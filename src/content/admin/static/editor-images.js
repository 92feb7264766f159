// Paste or drop images into the post body (issue 12): each image asks for its alt text, uploads
// to the media library (POST /admin/media, JSON), shows its progress, and replaces a placeholder
// at the cursor with the image's Markdown. Without JavaScript, upload on the Media page and copy
// the snippet.
(() => {
  const body = document.getElementById("f-body");
  const progress = document.getElementById("upload-progress");
  const token = document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") || "";
  if (!body || !progress) return;
  document.getElementById("body-drop-hint")?.removeAttribute("hidden");
  const images = (list) => [...(list || [])].filter((f) => f.type.startsWith("image/"));
  const changed = () => body.dispatchEvent(new Event("input", { bubbles: true }));
  let count = 0;

  function replace(placeholder, text) {
    const i = body.value.indexOf(placeholder);
    if (i >= 0) body.setRangeText(text, i, i + placeholder.length, "preserve");
    else if (text) body.setRangeText(`${text}\n`, body.value.length, body.value.length, "preserve");
    changed();
  }

  function upload(file) {
    const name = file.name || "image";
    const alt = window.prompt(`Alt text for “${name}”: what does the image show, for people who can't see it?`, "");
    if (alt === null) return; // cancelled: nothing is uploaded
    const placeholder = `![Uploading ${name} (${++count})…]()`;
    body.setRangeText(`${placeholder}\n`, body.selectionStart, body.selectionEnd, "end");
    changed();
    const row = document.createElement("p");
    row.className = "hint upload-row";
    const label = document.createElement("span");
    label.textContent = `Uploading ${name}… `;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", `Upload of ${name}`);
    row.append(label, bar);
    progress.append(row);
    const fail = (why) => {
      replace(placeholder, "");
      row.className = "error upload-row";
      row.textContent = `${name} was not uploaded: ${why}`;
    };
    const data = new FormData();
    data.set("file", file, name);
    data.set("alt", alt);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/admin/media");
    xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    // Sent: the server resizes two images at a time, so this one may wait for another upload.
    xhr.upload.addEventListener("load", () => {
      label.textContent = `Processing ${name} (it may wait for another upload)… `;
      bar.removeAttribute("value");
    });
    xhr.addEventListener("load", () => {
      let j = {};
      try {
        j = JSON.parse(xhr.responseText);
      } catch {
        // an HTML error page: reported by status below
      }
      if (xhr.status === 201 && j.markdown) {
        replace(placeholder, j.markdown);
        bar.value = 100;
        label.textContent = `Uploaded ${name}. `;
      } else fail(j.error || `the server answered ${xhr.status}.`);
    });
    xhr.addEventListener("error", () => fail("the connection failed."));
    xhr.send(data);
  }

  body.addEventListener("paste", (e) => {
    const files = images(e.clipboardData?.files);
    if (!files.length) return;
    e.preventDefault();
    for (const f of files) upload(f);
  });
  body.addEventListener("dragover", (e) => {
    if ([...(e.dataTransfer?.types || [])].includes("Files")) e.preventDefault();
  });
  body.addEventListener("drop", (e) => {
    const files = images(e.dataTransfer?.files);
    if (!files.length) return;
    e.preventDefault();
    for (const f of files) upload(f);
  });
})();
