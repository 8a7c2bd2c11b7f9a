// Citation links: bring the cited sentence into view and give it focus (works without this too,
// through the #fragment and the :target style).
document.addEventListener("click", function (event) {
  var link = event.target.closest("a.cite");
  if (!link) return;
  var id = link.getAttribute("href").slice(1);
  var target = document.getElementById(id);
  if (!target) return;
  event.preventDefault();
  history.replaceState(null, "", "#" + id);
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
  document.querySelectorAll(".sent.cited").forEach(function (el) { el.classList.remove("cited"); });
  target.classList.add("cited");
});
