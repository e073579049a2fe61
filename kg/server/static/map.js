// The maps' tooltip (kg/svg/map.py): hovering a municipality shows its name and role, its area and
// every member of the area at once, where the browser's own tooltip (the shape's <title>) comes
// late and shows one line. The <title>s stay in the SVG for screen readers and for the browser
// when scripts are off; while the tooltip shows, the hovered shape's <title> is set aside so the
// two do not show together.
(function () {
  "use strict";
  function own(el) {
    for (const child of el.children) if (child.tagName.toLowerCase() === "title") return child;
    return null;
  }
  for (const figure of document.querySelectorAll("figure.map")) {
    const tip = document.createElement("div");
    tip.className = "map-tip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    figure.style.position = "relative";
    figure.appendChild(tip);
    let shown = null;
    let stashed = null;
    function place(event) {
      const box = figure.getBoundingClientRect();
      const x = event.clientX - box.left + 14;
      tip.style.left = Math.max(0, Math.min(x, box.width - tip.offsetWidth - 4)) + "px";
      tip.style.top = event.clientY - box.top + 14 + "px";
    }
    function hide() {
      if (shown && stashed) shown.insertBefore(stashed, shown.firstChild);
      shown = stashed = null;
      tip.hidden = true;
    }
    figure.addEventListener("mouseover", function (event) {
      const shape = event.target.closest("path.member, circle.central, path.place");
      if (!shape || shape === shown) return;
      hide();
      const title = own(shape);
      if (!title) return;
      const area = shape.closest("a.area");
      const areaTitle = area ? own(area) : null;
      tip.replaceChildren();
      const head = document.createElement("strong");
      head.textContent = title.textContent;
      tip.appendChild(head);
      if (areaTitle) {
        const members = document.createElement("div");
        members.textContent = areaTitle.textContent;
        tip.appendChild(members);
      }
      stashed = title;
      shown = shape;
      title.remove();
      tip.hidden = false;
      place(event);
    });
    figure.addEventListener("mousemove", function (event) {
      if (!tip.hidden) place(event);
    });
    figure.addEventListener("mouseout", function (event) {
      if (shown && !shown.contains(event.relatedTarget)) hide();
    });
  }
})();
