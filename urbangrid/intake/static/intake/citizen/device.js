// The device id that rate limits count by: set as a cookie by the server, kept in localStorage
// too, so that clearing cookies alone does not make a fresh device. Also the receipts this
// device has received, listed under "My reports".
(function () {
  var KEY = "ug_device";
  function cookie() {
    var m = document.cookie.match(/(?:^|; )ug_device=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  try {
    var stored = localStorage.getItem(KEY);
    var current = cookie();
    if (stored && stored !== current) {
      document.cookie = KEY + "=" + encodeURIComponent(stored) + "; max-age=63072000; path=/; samesite=lax";
    } else if (!stored && current) {
      localStorage.setItem(KEY, current);
    }
  } catch (e) { /* private mode: the cookie alone counts */ }

  window.ugReceipts = {
    list: function () {
      try { return JSON.parse(localStorage.getItem("ug_receipts") || "[]"); } catch (e) { return []; }
    },
    add: function (code, label) {
      var items = this.list().filter(function (r) { return r.code !== code; });
      items.unshift({ code: code, label: label, at: new Date().toISOString().slice(0, 10) });
      try { localStorage.setItem("ug_receipts", JSON.stringify(items.slice(0, 20))); } catch (e) { /* full */ }
    },
  };
})();
