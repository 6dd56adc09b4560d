// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-menu-toggle]");
  if (!toggle) return;
  const nav = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = nav.classList.toggle("open");
  toggle.setAttribute("aria-expanded", String(open));
});
