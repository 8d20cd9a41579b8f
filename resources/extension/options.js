/* Meeting Privacy Guard: the options page, where the user adds a meeting server of their own.
 *
 * The user types a server's address and picks the self-hosted service it runs (data.js selfHosted). In the click's
 * handler (the user gesture the browsers require) it asks the browser for that one host, "https://<host>/*"; only
 * when the user allows it is {host, provider} stored, and background.js then registers the content script there and
 * tells the app. No wildcard, no other scheme, never every site. Remove gives the access back and drops the server.
 * A page cannot add itself: the permission needs the user's click here, and background.js uses a stored server only
 * while its host is granted.
 */
"use strict";

(function () {
  const api = globalThis.browser || globalThis.chrome;
  const MPG = globalThis.MPG;
  const DATA = globalThis.MPG_DATA;
  const LIMITS = DATA.limits;
  const SERVICES = new Map((DATA.selfHosted || []).map((service) => [service.provider, service.name]));
  const ERRORS = {
    "empty": "Type the server's address first.",
    "wildcard": "Give one server's address: a wildcard (*) would cover sites you did not mean.",
    "not-https": "Only https addresses can be added: a meeting server without https cannot be told apart from a " +
      "page pretending to be it.",
    "port-or-user": "Give the server's host name only, without a port or a user name.",
    "not-a-host": "That is not a server's host name (such as jitsi.example.org).",
    "known": "That site is one of the meeting services' own: the extension looks at it already.",
  };
  const form = document.getElementById("add-form");
  const hostInput = document.getElementById("host");
  const service = document.getElementById("service");
  const status = document.getElementById("status");
  const list = document.getElementById("servers");
  const none = document.getElementById("none");

  function say(text) {
    status.textContent = text;
  }

  function origin(host) {
    return "https://" + host + "/*";
  }

  async function stored() {
    const found = await api.storage.local.get("servers");
    return MPG.cleanServers(found.servers);
  }

  async function render() {
    const clean = await stored();
    const granted = new Set(((await api.permissions.getAll()).origins) || []);
    list.replaceChildren();
    for (const server of clean.servers) {
      const item = document.createElement("li");
      item.dataset.host = server.host;
      const allowed = granted.has(origin(server.host));
      item.append(server.host + " \u2014 " + (SERVICES.get(server.provider) || server.provider)
        + (allowed ? "" : " (access not allowed: not used)"));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + server.host);
      remove.addEventListener("click", () => { removeServer(server.host); });
      item.append(remove);
      list.append(item);
    }
    none.hidden = clean.servers.length > 0;
    if (clean.dropped > 0) {
      say(clean.dropped + " stored entries were not used: a bad name, an unknown service, or more than "
        + LIMITS.servers + " servers.");
    }
  }

  async function keep(host, provider) {
    const clean = await stored();
    const others = clean.servers.filter((server) => server.host !== host);
    if (others.length >= LIMITS.servers) {
      await api.permissions.remove({ origins: [origin(host)] });
      say("No more than " + LIMITS.servers + " servers can be added: remove one first.");
      return;
    }
    others.push({ host: host, provider: provider });
    await api.storage.local.set({ servers: others });
    say("Added " + host + " (" + SERVICES.get(provider) + "). Its meeting tabs are told to the app.");
    hostInput.value = "";
    await render();
  }

  /** In the click's own handler: the browser asks the user, and grants one host only. */
  function addServer() {
    const found = MPG.serverHost(hostInput.value);
    if (found.error) {
      say(ERRORS[found.error]);
      return;
    }
    const provider = service.value;
    if (!SERVICES.has(provider)) {
      say("Pick the service the server runs.");
      return;
    }
    let asked;
    try {
      asked = api.permissions.request({ origins: [origin(found.host)] });
    } catch (error) {
      say("The browser did not ask: " + error.message);
      return;
    }
    Promise.resolve(asked).then((granted) => {
      if (!granted) {
        say("Access to " + found.host + " was not allowed: nothing added.");
        return undefined;
      }
      return keep(found.host, provider);
    }, (error) => {
      say("The browser did not ask: " + error.message);
    });
  }

  async function removeServer(host) {
    try {
      await api.permissions.remove({ origins: [origin(host)] });
    } catch (error) {
      // not granted any more: dropped from the list all the same
    }
    const clean = await stored();
    await api.storage.local.set({ servers: clean.servers.filter((server) => server.host !== host) });
    say("Removed " + host + ".");
    await render();
  }

  for (const [provider, name] of SERVICES) {
    const option = document.createElement("option");
    option.value = provider;
    option.textContent = name;
    service.append(option);
  }
  // The button's click and Enter in the field are the user's own input, which permissions.request needs.
  form.addEventListener("submit", (event) => { event.preventDefault(); });
  document.getElementById("add").addEventListener("click", () => { addServer(); });
  hostInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addServer();
    }
  });
  api.storage.onChanged.addListener(() => { render(); });
  render();
})();
