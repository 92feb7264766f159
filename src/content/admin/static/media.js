// Copy buttons for the media library's Markdown snippets (hidden without JavaScript).
(() => {
  for (const button of document.querySelectorAll("button.copy-snippet[data-copy]")) {
    button.hidden = false;
    const label = button.firstChild?.textContent || "Copy";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy || "");
        button.firstChild.textContent = "Copied";
      } catch {
        // No clipboard permission: select the snippet so Ctrl+C works.
        const code = button.parentElement?.querySelector("code");
        if (code) getSelection()?.selectAllChildren(code);
        button.firstChild.textContent = "Selected: press Ctrl+C";
      }
      setTimeout(() => (button.firstChild.textContent = label), 2000);
    });
  }
})();
