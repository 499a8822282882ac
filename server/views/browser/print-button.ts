// The service guide's print button, bundled into print.js for the live site and the static export. The
// button is hidden in the HTML (it does nothing without a script) and shown once it works.
for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-print]'))) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
