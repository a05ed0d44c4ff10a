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

// Search as you type: completions from /api/suggest fill the box's list. Without script the box
// is a plain input and the form works the same.
(() => {
  const box = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!box || !list) return;
  let timer = null;
  let asked = "";
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = box.value;
      if (!text.trim() || text === asked) return;
      asked = text;
      try {
        const response = await fetch("/api/suggest?q=" + encodeURIComponent(text));
        if (!response.ok || box.value !== text) return;
        const body = await response.json();
        list.replaceChildren(...body.suggestions.map((s) => {
          const option = document.createElement("option");
          option.value = s;
          return option;
        }));
      } catch (error) {
        // Suggestions are a convenience: a failed request changes nothing.
      }
    }, 150);
  });
})();
