// The bridge between page.js (the page's world) and the extension's background.
//
// page.js cannot reach extension APIs; this isolated-world script can. It forwards the page's
// calls over one runtime port and posts the replies and bgfetch's events for this tab back to
// the page. It adds nothing the page could forge: the background takes the origin from the
// port's sender, never from a message.
(() => {
  "use strict";

  // page.js serves secure contexts only; elsewhere there is nothing to relay.
  if (!window.isSecureContext) return;

  const CHANNEL = "org.bgfetch.bridge"; // also in page.js
  const PORT_NAME = "bgfetch-page"; // also in background.js
  const pageOrigin = location.origin;

  let port = null; // connected on the page's first call: most pages never make one
  const inFlight = new Set(); // seqs forwarded and not answered yet

  function toPage(message) {
    window.postMessage({ ...message, channel: CHANNEL, to: "page" }, pageOrigin);
  }

  function fail(seq, message) {
    toPage({ re: seq, ok: false, error: { name: "NetworkError", message } });
  }

  function connect() {
    const connected = chrome.runtime.connect({ name: PORT_NAME });
    connected.onMessage.addListener((message) => {
      if (typeof message.re === "number") inFlight.delete(message.re);
      toPage(message);
    });
    connected.onDisconnect.addListener(() => {
      // The background stopped (or the extension was reloaded): calls it held never return.
      // The next call connects again.
      port = null;
      for (const seq of inFlight) fail(seq, "bgfetch's extension restarted; try again");
      inFlight.clear();
    });
    return connected;
  }

  window.addEventListener("message", (event) => {
    // Only this page's own window: other frames and windows must not speak for it.
    if (event.source !== window) return;
    const message = event.data;
    if (!message || message.channel !== CHANNEL || message.to !== "extension") return;
    if (typeof message.seq !== "number") return;
    const { channel, to, ...call } = message;
    try {
      port ??= connect();
      port.postMessage(call);
      inFlight.add(call.seq);
    } catch {
      // The extension was removed or updated under this page: this script is orphaned.
      port = null;
      fail(call.seq, "bgfetch's extension is not available; reload the page");
    }
  });
})();
