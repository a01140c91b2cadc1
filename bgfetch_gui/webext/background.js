// The extension's background: pages' calls, bgfetch's events, the context menus and the
// download take-over, all through one connection to bgfetch's native host.
//
// A service worker in Chromium, an event page in Firefox: every listener is registered at the
// top level so the browser can wake this script for it, and no state here outlives what a
// restart can rebuild.

import { cookieHeaders, cookieStoreOf } from "./cookies.js";
import { BridgeError, NativeHost } from "./native.js";
import {
  DEFAULT_SETTINGS, SETTINGS_KEY, bigEnough, isCandidate, normalizeSettings, sizeOf,
} from "./takeover.js";

const PAGE_PORT = "bgfetch-page"; // also in relay.js
const HTTP_PATTERNS = ["http://*/*", "https://*/*"];
const MAX_HAND_OFF_URLS = 1000; // the most one `download` call takes
const MENU_ONE = "bgfetch-download";
const MENU_LINKS = "bgfetch-download-links";

const BROWSER = chrome.runtime.getURL("").startsWith("moz-extension:") ? "firefox" : "chromium";

const host = new NativeHost({
  browser: BROWSER,
  // Whether this browser has its own Background Fetch (then page.js asks for a decision).
  native: typeof globalThis.BackgroundFetchManager === "function",
}, deliverEvent);

function originOf(url) {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) ? parsed.origin : null;
  } catch {
    return null;
  }
}

// Background Fetch is for secure contexts only: https, or http on the loopback host, which
// browsers also trust. Any other page's relay is refused, whatever its scripts post.
function isTrustworthy(origin) {
  const { protocol, hostname } = new URL(origin);
  if (protocol === "https:") return true;
  return hostname === "[::1]" || hostname === "localhost" || hostname.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(hostname);
}

function asReply(error) {
  return error instanceof BridgeError
    ? { name: error.name, message: error.message }
    : { name: "NetworkError", message: String(error?.message ?? error) };
}

// ---- pages -----------------------------------------------------------------------------

// The calls a page may make, and the fields it may give for each. Everything else a page
// sends is dropped here; `origin`, `pageUrl` and `cookies` are always ours.
const PAGE_CALLS = new Map([
  ["decision", []],
  ["fetch", ["id", "requests", "options"]],
  ["get", ["id"]],
  ["getIds", []],
  ["abort", ["id"]],
  ["matchAll", ["id", "request", "options"]],
  ["read", ["id", "index", "offset", "length"]],
]);

const pages = new Set(); // {port, origin, url, tab}: the top frames that made a call

chrome.runtime.onConnect.addListener((port) => {
  const sender = port.sender ?? {};
  // The origin the browser reports for the sending frame; a page cannot choose it.
  const origin = originOf(sender.origin ?? sender.url);
  if (port.name !== PAGE_PORT || !sender.tab || sender.frameId !== 0 || origin === null ||
      !isTrustworthy(origin)) {
    port.disconnect();
    return;
  }
  const page = { port, origin, url: sender.url, tab: sender.tab };
  pages.add(page);
  port.onDisconnect.addListener(() => pages.delete(page));
  port.onMessage.addListener((message) => answerPage(page, message));
});

async function pageCall(page, message) {
  const names = PAGE_CALLS.get(message.type);
  if (!names) throw new BridgeError("NotSupportedError", "unknown call");
  const fields = {};
  for (const name of names) if (Object.hasOwn(message, name)) fields[name] = message[name];
  fields.origin = page.origin;
  if (message.type === "fetch") {
    fields.pageUrl = page.url;
    const urls = Array.isArray(fields.requests)
      ? fields.requests.map((request) => (typeof request === "string" ? request : request?.url))
      : [];
    fields.cookies = await cookieHeaders(urls, {
      pageOrigin: page.origin, handOff: false, storeId: await cookieStoreOf(page.tab),
    });
  }
  return host.call(message.type, fields);
}

async function answerPage(page, message) {
  if (!message || typeof message.seq !== "number") return;
  let reply;
  try {
    reply = { re: message.seq, ok: true, result: await pageCall(page, message) };
  } catch (error) {
    reply = { re: message.seq, ok: false, error: asReply(error) };
  }
  try {
    page.port.postMessage(reply);
  } catch {
    // The page went away while bgfetch answered.
  }
}

function deliverEvent(message) {
  for (const page of pages) {
    if (page.origin !== message.origin) continue;
    try {
      page.port.postMessage({ event: message.event, registration: message.registration });
    } catch {
      pages.delete(page);
    }
  }
  if (message.event === "click") {
    focusTabOf(message.origin).catch((error) => console.warn("bgfetch:", error.message));
  }
}

// The user clicked bgfetch's notification of this origin's fetch: show them the site, in the
// tab that made the call if it is still open.
async function focusTabOf(origin) {
  let tabId = [...pages].find((page) => page.origin === origin)?.tab.id;
  if (tabId === undefined) {
    const tabs = await chrome.tabs.query({ url: HTTP_PATTERNS });
    tabId = tabs.find((tab) => originOf(tab.url) === origin)?.id;
  }
  if (tabId === undefined) {
    if (originOf(origin) === origin) await chrome.tabs.create({ url: `${origin}/` });
    return;
  }
  const tab = await chrome.tabs.update(tabId, { active: true }); // its window may have changed
  await chrome.windows.update(tab.windowId, { focused: true });
}

// ---- hand-offs: context menus and taken-over downloads -----------------------------------

async function handOff(urls, { pageUrl, title, storeId }) {
  const fields = {
    urls,
    cookies: await cookieHeaders(urls, { pageOrigin: originOf(pageUrl), handOff: true, storeId }),
  };
  // Only what the browser knows: bgfetch does without a referrer or a title.
  if (originOf(pageUrl) !== null) fields.pageUrl = pageUrl;
  if (title) fields.title = title;
  return host.call("download", fields);
}

function fileNameOf(url) {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  } catch {
    return "";
  }
}

function createMenus() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({
      id: MENU_ONE,
      title: "Download with bgfetch",
      contexts: ["link", "image", "video", "audio"],
      targetUrlPatterns: HTTP_PATTERNS,
    });
    chrome.contextMenus.create({
      id: MENU_LINKS,
      title: "Download all links with bgfetch",
      contexts: ["selection"],
      documentUrlPatterns: HTTP_PATTERNS,
    });
  });
}

// Menus persist with the extension; they are made again on install, update and start-up.
chrome.runtime.onInstalled.addListener(createMenus);
chrome.runtime.onStartup.addListener(createMenus);

// Runs in the page (isolated world): the http(s) links the user's selection touches.
function linksInSelection() {
  const selection = getSelection();
  const ranges = [];
  for (let i = 0; selection && i < selection.rangeCount; i++) ranges.push(selection.getRangeAt(i));
  const urls = [];
  for (const link of document.querySelectorAll("a[href]")) {
    if (typeof link.href === "string" && ranges.some((range) => range.intersectsNode(link))) {
      urls.push(link.href);
    }
  }
  return { urls, title: document.title };
}

async function downloadSelectedLinks(info, tab) {
  const [injection] = await chrome.scripting.executeScript({
    target: { tabId: tab.id, frameIds: [info.frameId ?? 0] },
    func: linksInSelection,
  });
  const found = injection?.result ?? { urls: [], title: "" };
  const urls = [...new Set(found.urls.filter((url) => originOf(url) !== null))];
  if (urls.length === 0) return;
  if (urls.length > MAX_HAND_OFF_URLS) {
    console.warn(`bgfetch: the selection has ${urls.length} links; handing over the first ` +
      `${MAX_HAND_OFF_URLS}`);
  }
  await handOff(urls.slice(0, MAX_HAND_OFF_URLS), {
    pageUrl: info.frameUrl ?? info.pageUrl,
    title: found.title || tab.title,
    storeId: await cookieStoreOf(tab),
  });
}

// "Download with bgfetch" when bgfetch cannot be reached: the browser downloads the link
// itself, as if the user had picked its own "Save link as", so the click is not lost. (Such a
// download names our extension as its starter, so the take-over leaves it alone.)
async function downloadLink(info, tab) {
  const url = info.linkUrl ?? info.srcUrl;
  try {
    await handOff([url], {
      pageUrl: info.frameUrl ?? info.pageUrl,
      title: fileNameOf(url),
      storeId: await cookieStoreOf(tab),
    });
  } catch (error) {
    if (error.name !== "NetworkError") throw error;
    console.warn("bgfetch could not be reached; the browser downloads the link:", error.message);
    await chrome.downloads.download({ url });
  }
}

chrome.contextMenus.onClicked.addListener((info, tab) => {
  let done;
  if (info.menuItemId === MENU_ONE) {
    done = downloadLink(info, tab);
  } else if (info.menuItemId === MENU_LINKS && tab) {
    done = downloadSelectedLinks(info, tab);
  } else {
    return;
  }
  done.catch((error) => console.error("bgfetch: the hand-off failed:", error.message));
});

async function takeOverSettings() {
  const stored = await chrome.storage.local.get(SETTINGS_KEY);
  return normalizeSettings(stored[SETTINGS_KEY] ?? DEFAULT_SETTINGS);
}

// Chromium's pause holds the connection open, so its copy is paused while bgfetch is asked
// and resumed if bgfetch cannot take it. Firefox's pause drops the connection, and a server
// without range requests cannot resume it (the download fails), so Firefox's copy keeps
// running meanwhile. Either way it is cancelled only once bgfetch has it: a click is never lost.
const PAUSE_KEEPS_CONNECTION = BROWSER === "chromium";

async function takeOver(item) {
  const settings = await takeOverSettings();
  if (!isCandidate(item, settings)) return;
  if (PAUSE_KEEPS_CONNECTION) {
    try {
      await chrome.downloads.pause(item.id);
    } catch {
      return; // already finished, or not pausable: the browser keeps it
    }
  }
  const [now] = await chrome.downloads.search({ id: item.id });
  // One that finished while we decided stays (Chromium's pause then succeeds and does nothing).
  const running = PAUSE_KEEPS_CONNECTION ? now?.paused : now?.state === "in_progress";
  if (!running) return;
  const resume = () => (PAUSE_KEEPS_CONNECTION ? chrome.downloads.resume(item.id) : undefined);
  // Firefox learns the size only once the download started, so it is checked again here.
  if (!bigEnough(sizeOf(now), settings)) {
    await resume();
    return;
  }
  const url = now.finalUrl || now.url;
  const title = now.filename.split(/[\\/]/).pop() || fileNameOf(url);
  try {
    // A Firefox container's download carries its cookie store; Chromium's is the default.
    await handOff([url], { pageUrl: now.referrer, title, storeId: now.cookieStoreId });
  } catch (error) {
    console.warn("bgfetch: the browser keeps the download:", error.message);
    await resume();
    return;
  }
  await leaveToBgfetch(item.id);
}

// bgfetch has the download now, so the browser's copy goes. Chromium completes a paused
// download whose bytes had all arrived before the pause (completion ignores the pause), and
// cancelling a complete download does nothing: that copy is deleted instead, so one click
// never leaves two files.
async function leaveToBgfetch(id) {
  await chrome.downloads.cancel(id).catch(() => undefined); // not in progress any more
  if ((await settledState(id)) === "complete") {
    await chrome.downloads.removeFile(id);
  }
  await chrome.downloads.erase({ id });
}

// The state a download settles in ("complete", "interrupted"), or undefined if it is gone or
// still running after a while: a cancel takes effect at once, a completion under way soon.
function settledState(id, timeoutMs = 10_000) {
  return new Promise((resolve) => {
    const finish = (state) => {
      chrome.downloads.onChanged.removeListener(onChanged);
      clearTimeout(timer);
      resolve(state);
    };
    const onChanged = (delta) => {
      if (delta.id === id && delta.state && delta.state.current !== "in_progress") {
        finish(delta.state.current);
      }
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    chrome.downloads.onChanged.addListener(onChanged);
    chrome.downloads.search({ id }).then(([now]) => {
      if (now?.state !== "in_progress") finish(now?.state);
    });
  });
}

chrome.downloads.onCreated.addListener((item) => {
  takeOver(item).catch((error) => console.error("bgfetch: download take-over:", error.message));
});

// ---- the options page --------------------------------------------------------------------

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only the extension's own pages; content scripts speak over their port.
  if (!sender.url?.startsWith(chrome.runtime.getURL(""))) return false;
  if (message?.type !== "sites") return false;
  host.call("sites").then(
    (result) => sendResponse({ ok: true, result }),
    (error) => sendResponse({ ok: false, error: asReply(error) }),
  );
  return true; // answers asynchronously
});
