/* The link chart of a network (vis-network, served from the pyvis package): filter, expand, export. */
(function () {
  "use strict";
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"];
  var SHAPES = {Person: "dot", Company: "box", Organization: "box", LegalEntity: "box", BankAccount: "square",
    Vehicle: "triangle", Address: "hexagon", UserAccount: "star", Passport: "diamond", Identification: "diamond"};

  function nodeOf(n, roleLabels) {
    var marks = n.roles.map(function (r) { return "★ " + (roleLabels[r] || r); })
      .concat(n.suggested.map(function (r) { return "★ " + (roleLabels[r] || r) + "?"; }));
    var isValue = String(n.type).indexOf("value:") === 0;
    return {
      id: n.id, label: String(n.label).slice(0, 40) + (marks.length ? "\n" + marks.join(" ") : ""),
      title: n.type + (n.country ? " · " + n.country : "") + (marks.length ? " · " + marks.join(", ") : ""),
      shape: isValue ? "diamond" : (SHAPES[n.type] || "ellipse"), size: isValue ? 6 : 12,
      color: isValue ? "#bbbbbb" : (n.community === null || n.community === undefined ? "#999999"
        : PALETTE[n.community % PALETTE.length]),
      borderWidth: n.roles.length ? 4 : (n.suggested.length ? 2 : 1), font: {size: 11},
      type: n.type
    };
  }

  function edgeOf(e) {
    return {id: e.source + ">" + e.target + ":" + e.type + ":" + e.date, from: e.source, to: e.target,
      title: e.type + (e.date ? " · " + e.date : "") + (e.amount !== null && e.amount !== undefined ? " · " + e.amount : ""),
      arrows: String(e.type).indexOf("value:") === 0 ? "" : "to",
      dashes: String(e.type).indexOf("value:") === 0, color: {opacity: 0.5}};
  }

  function init() {
    var form = document.getElementById("chart-filters");
    var container = document.getElementById("link-chart");
    if (!form || !container || !window.vis) { return; }
    var status = document.getElementById("chart-status");
    var expand = document.getElementById("chart-expand");
    var nodes = new vis.DataSet([]);
    var edges = new vis.DataSet([]);
    var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
      physics: {stabilization: {iterations: 150}, barnesHut: {gravitationalConstant: -4000}},
      interaction: {hover: true, multiselect: false}, edges: {smooth: false}
    });
    network.on("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
    var selected = null;
    window.palermoLinkChart = {network: network, nodes: nodes, edges: edges};

    function params(extra) {
      var data = new FormData(form);
      var query = new URLSearchParams();
      data.forEach(function (value, key) { if (value !== "") { query.append(key, value); } });
      if (!data.has("values")) { query.set("values", "0"); }
      if (extra && extra.focus !== undefined) { query.delete("type"); }  // expanding shows every neighbour
      Object.keys(extra || {}).forEach(function (key) { query.set(key, extra[key]); });
      return query.toString();
    }

    function counts() {
      container.dataset.nodes = String(nodes.length);
      container.dataset.edges = String(edges.length);
      status.textContent = nodes.length + " · " + edges.length;
    }

    function load(extra, merge) {
      container.dataset.loading = "1";
      return fetch(form.dataset.graphUrl + "?" + params(extra), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var newNodes = data.nodes.map(function (n) { return nodeOf(n, data.role_labels || {}); });
          var newEdges = data.edges.map(edgeOf);
          if (!merge) { nodes.clear(); edges.clear(); network.setOptions({physics: true}); }
          nodes.update(newNodes);
          edges.update(newEdges);
          counts();
          if (data.truncated) { status.textContent += " · " + container.getAttribute("data-truncated-text"); }
          container.dataset.loading = "0";
        });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); load({}, false); });
    network.on("selectNode", function (event) {
      selected = event.nodes[0];
      expand.disabled = typeof selected !== "number";
      var node = nodes.get(selected);
      var info = document.getElementById("chart-selected");
      info.textContent = node ? node.title : "";
      if (typeof selected === "number") {
        var link = document.createElement("a");
        link.href = form.dataset.entityUrl + selected + "/";
        link.textContent = " ↗";
        info.appendChild(link);
      }
    });
    network.on("deselectNode", function () { selected = null; expand.disabled = true; });
    function expandNode(id) { return load({focus: id, depth: 1}, true); }
    expand.addEventListener("click", function () { if (selected !== null) { expandNode(selected); } });
    network.on("doubleClick", function (event) { if (typeof event.nodes[0] === "number") { expandNode(event.nodes[0]); } });

    document.getElementById("chart-png").addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      var a = document.createElement("a");
      a.href = canvas.toDataURL("image/png");
      a.download = "network.png";
      a.click();
    });
    document.getElementById("chart-svg").addEventListener("click", function () {
      var positions = network.getPositions();
      var xs = Object.values(positions).map(function (p) { return p.x; });
      var ys = Object.values(positions).map(function (p) { return p.y; });
      var minX = Math.min.apply(null, xs) - 40, minY = Math.min.apply(null, ys) - 40;
      var width = Math.max.apply(null, xs) - minX + 80, height = Math.max.apply(null, ys) - minY + 80;
      var esc = function (t) { return String(t).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); };
      var parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + minX + " " + minY + " " + width + " " + height + '">'];
      edges.forEach(function (e) {
        var a = positions[e.from], b = positions[e.to];
        if (a && b) { parts.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke="#999"/>'); }
      });
      nodes.forEach(function (n) {
        var p = positions[n.id];
        if (!p) { return; }
        parts.push('<circle cx="' + p.x + '" cy="' + p.y + '" r="' + n.size + '" fill="' + n.color + '"/>');
        parts.push('<text x="' + (p.x + 14) + '" y="' + (p.y + 4) + '" font-size="11">' + esc(String(n.label).split("\n")[0]) + "</text>");
      });
      parts.push("</svg>");
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([parts.join("")], {type: "image/svg+xml"}));
      a.download = "network.svg";
      a.click();
    });
    var start = new URLSearchParams(window.location.search).get("focus");  // a person's neighbourhood
    load(start && /^[0-9]+$/.test(start) ? {focus: start, depth: 1} : {}, false);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
