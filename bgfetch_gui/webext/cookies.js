// The Cookie headers bgfetch needs to fetch what the browser would have fetched.
//
// bgfetch keeps them in the OS keyring for the life of one fetch (docs/browser-bridge.md);
// here we decide which cookies the browser itself would have sent, and no others.

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return "null";
  }
}

// Browsers send longer (more specific) paths first.
function header(cookies) {
  return cookies
    .sort((a, b) => b.path.length - a.path.length)
    .map((cookie) => (cookie.name === "" ? cookie.value : `${cookie.name}=${cookie.value}`))
    .join("; ");
}

async function cookiesOf(url, storeId) {
  try {
    return await chrome.cookies.getAll(storeId ? { url, storeId } : { url });
  } catch (error) {
    // e.g. Firefox with first-party isolation wants a firstPartyDomain: fetch without cookies.
    console.warn("bgfetch: no cookies for", url, error.message);
    return [];
  }
}

// The cookie store of `tab`: a Firefox container, a Chromium incognito window, or the default.
export async function cookieStoreOf(tab) {
  if (!tab) return undefined;
  if (tab.cookieStoreId) return tab.cookieStoreId;
  if (!tab.incognito) return undefined;
  const stores = await chrome.cookies.getAllCookieStores();
  return stores.find((store) => store.tabIds.includes(tab.id))?.id;
}

// An object from request index ("0", "1", ...) to the Cookie header for that URL, for the
// requests that get cookies at all.
//
// A page's fetch: a Request made from a URL has credentials "same-origin", so only requests
// to the page's own origin carry cookies.
// The user's hand-off (a context-menu click, a taken-over download) is like following the
// link: every cookie of the URL, except SameSite=Strict ones when it leaves the page's origin
// (a site is at least an origin, so this errs on the side of sending fewer).
export async function cookieHeaders(urls, { pageOrigin, handOff, storeId }) {
  const headers = {};
  await Promise.all(urls.map(async (url, index) => {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return;
    const sameOrigin = originOf(url) === pageOrigin;
    if (!sameOrigin && !handOff) return;
    const sent = (await cookiesOf(url, storeId))
      .filter((cookie) => sameOrigin || cookie.sameSite !== "strict");
    if (sent.length > 0) headers[String(index)] = header(sent);
  }));
  return headers;
}
