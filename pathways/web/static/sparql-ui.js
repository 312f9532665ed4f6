// Starts the vendored YASGUI on /sparql/ui (a file, not an inline script: the
// Content-Security-Policy allows scripts from this origin only). One tab per example
// query of /sparql/ui/queries.json; nothing is fetched from another origin and no
// tab state is kept between visits (persistenceId null), so the tabs are the examples.
window.addEventListener("load", function () {
  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") return;
  var endpoint = new URL(root.dataset.endpoint, window.location.href).href;
  fetch("/sparql/ui.json", { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var fallback = document.getElementById("examples");
      if (fallback) fallback.hidden = true;
      var yasgui = new Yasgui(root, {
        requestConfig: { endpoint: endpoint, method: "POST" },
        copyEndpointOnNewTab: true,
        persistenceId: null,
        populateFromUrl: false,
        autoAddOnInit: false,
        endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      });
      data.queries.forEach(function (q, i) {
        yasgui.addTab(i === 0, {
          name: q.name,
          yasqe: { value: q.query },
          requestConfig: { endpoint: endpoint, method: "POST" },
        });
      });
      window.yasgui = yasgui;
    });
});
