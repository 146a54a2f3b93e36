/* The menu on a small screen: folded behind a "Menu" button that opens and closes it. Without JavaScript the
   menu simply stays unfolded (the "js" class below is what lets the stylesheet fold it). Loaded in the head,
   not deferred, so that the menu is folded before the page is first drawn. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) {
      return;
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
  });
})();
