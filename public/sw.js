// Yuelan's service worker: it keeps the files of the app this device has
// loaded, so that the app starts with no network and the library card
// (kept in localStorage by the card page) shows at a desk on a dead link.
//
// - Pages (navigations): the network first; offline, the kept index.html
//   (every page of the app is index.html plus the app's code).
// - Files with a content hash in their name (`-` and 16 hex digits before
//   `.js`, `.wasm`, `.css` or `.json`: the boot script, the app's JS, WASM
//   chunks and their table, styles; trunk drops a hash's leading zeros, so
//   12 digits are enough):
//   from the cache first, as they never change; fetched and kept otherwise.
// - config.json: the network first, the kept copy offline.
// - Anything else, and the API above all, is not touched: it goes to the
//   network as if there were no worker.
//
// Deploys: a new index.html names a new boot script. When one arrives, the
// kept hashed files belong to the old build, and they are dropped before
// the new page loads its own. A new version of this file changes VERSION,
// and its caches replace the old ones.
//
// The page registers this worker (the boot script, after the page has
// loaded and the app has started) and then posts the URLs it has already
// loaded, which were fetched before the worker ran: see "keep" below.

var VERSION = "v1";
var PAGES = "yuelan-pages-" + VERSION;
var ASSETS = "yuelan-assets-" + VERSION;
var HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css|json)$/;
var BOOT = /boot-[0-9a-f]{16}\.js/;

self.addEventListener("install", function (event) {
  // The page the app needs offline, kept at once.
  event.waitUntil(
    caches.open(PAGES).then(function (cache) {
      return cache.addAll(["/index.html", "/config.json"]);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== PAGES && name !== ASSETS;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      // Serve the page that registered the worker from now on, so that the
      // code it fetches later (page chunks) is kept too.
      return self.clients.claim();
    })
  );
});

// The page posts {keep: [url, …]}: files it loaded before the worker ran.
self.addEventListener("message", function (event) {
  var urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  event.waitUntil(caches.open(ASSETS).then(function (cache) {
    return Promise.all(urls.filter(isHashed).map(function (url) {
      return cache.match(url).then(function (found) {
        // Mostly from the HTTP cache: the page has just loaded them.
        return found || fetch(url).then(function (response) {
          if (response.ok) return cache.put(url, response);
        });
      }).catch(function () {});
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (isHashed(request.url)) {
    event.respondWith(asset(request));
  } else if (url.pathname === "/config.json") {
    event.respondWith(networkFirst(request, "/config.json"));
  }
});

function isHashed(href) {
  try {
    var url = new URL(href, self.location.origin);
    return url.origin === self.location.origin && HASHED.test(url.pathname);
  } catch (e) {
    return false;
  }
}

// Whether a path is a page of the app (no extension: the server answers
// it with index.html), not a static page such as /unsupported.html.
function isAppPath(pathname) {
  var last = pathname.split("/").pop();
  return last.indexOf(".") < 0 || last === "index.html";
}

// A navigation: the network's answer (keeping it when it is the app's
// index.html), else, for a page of the app, the kept index.html.
function page(request) {
  var app = isAppPath(new URL(request.url).pathname);
  return fetch(request).then(function (response) {
    var type = response.headers.get("content-type") || "";
    if (!app || !response.ok || type.indexOf("text/html") !== 0) return response;
    return keepIndex(response.clone()).then(function () {
      return response;
    }, function () {
      return response;
    });
  }, function (error) {
    if (!app) throw error;
    return caches.match("/index.html", { cacheName: PAGES, ignoreVary: true }).then(function (kept) {
      if (kept) return kept;
      throw error;
    });
  });
}

// Keeps a new index.html; if it names another boot script than the kept
// one (a deploy), drops the old build's files first.
function keepIndex(response) {
  return Promise.all([
    response.text(),
    caches.open(PAGES),
  ]).then(function (got) {
    var html = got[0];
    var cache = got[1];
    return cache.match("/index.html", { ignoreVary: true }).then(function (old) {
      return old ? old.text() : "";
    }).then(function (oldHtml) {
      var boot = html.match(BOOT);
      var oldBoot = oldHtml.match(BOOT);
      var deployed = oldBoot && (!boot || boot[0] !== oldBoot[0]);
      return (deployed ? caches.delete(ASSETS) : Promise.resolve()).then(function () {
        return cache.put("/index.html", new Response(html, {
          headers: { "Content-Type": "text/html; charset=utf-8" },
        }));
      });
    });
  });
}

// A file that never changes: the kept copy, else the network's (kept when
// it is a success).
function asset(request) {
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      if (kept) return kept;
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone()).catch(function () {});
        return response;
      });
    });
  });
}

// The network's answer (kept when it is a success), else the kept copy.
function networkFirst(request, key) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) {
        return cache.put(key, copy);
      }).catch(function () {});
    }
    return response;
  }, function (error) {
    return caches.match(key, { cacheName: PAGES, ignoreVary: true }).then(function (kept) {
      if (kept) return kept;
      throw error;
    });
  });
}
