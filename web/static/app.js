// "/" focuses the search box, as on most search sites; everything else works without script.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.key === "/" && box && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
