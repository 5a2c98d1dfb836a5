// Web console: "select all" boxes and confirmations (no inline scripts, so a strict CSP can stay on).
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("input[data-select-all]")) {
    box.addEventListener("change", () => {
      for (const item of document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`)) {
        item.checked = box.checked;
      }
    });
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
