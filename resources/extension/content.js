/* Meeting Privacy Guard: the content script, on the catalog's meeting pages only.
 *
 * It looks for two things a participant needs to know and reports them to the background
 * script, which tells the app on this computer:
 *   - an AI, recording or transcription notice shown in a dialog, an alert or status banner or an
 *     aria-live region, matched against the catalog's notice words for this service;
 *   - a participant whose display name is a note-taker bot's (catalog participant names).
 * A MutationObserver hands over what changed; each batch does bounded work (a cap on records,
 * nodes and characters looked at), matching is a plain substring test on normalised text, and
 * nothing else of the page is read or sent. The app re-checks every report with its own matcher.
 */
"use strict";

(function () {
  const root = globalThis;
  if (root.MPG_CONTENT_LOADED) {
    return;
  }
  root.MPG_CONTENT_LOADED = true;
  const DATA = root.MPG_DATA;
  const MPG = root.MPG;
  const LIMITS = DATA.limits;
  // Set only by the benchmark page, which loads this file as a page script: an extension's content
  // script runs in its own world, where page scripts cannot define or read this.
  const bench = root.MPG_BENCH || null;
  const api = root.browser || root.chrome;
  const providers = bench ? bench.providers : MPG.providersForUrl(location.href);
  if (providers.length === 0) {
    return;
  }

  const CONTAINERS = 'dialog,[role="dialog"],[role="alertdialog"],[role="alert"],[role="status"],[aria-live]';
  const notices = DATA.notices.filter((notice) => providers.includes(notice.provider)).map((notice) => notice.text);
  const botNames = [];
  for (const bot of DATA.bots) {
    for (const text of bot.texts) {
      botNames.push(text);
    }
  }
  const sent = new Set();
  const hidden = new Set(); // containers whose text matched while they were not shown
  let rescanTimer = null;

  function post(kind, text) {
    const key = kind + "\u0000" + text;
    if (sent.has(key) || sent.size >= LIMITS.reportsPerPage) {
      return;
    }
    sent.add(key);
    if (bench) {
      bench.sent.push({ kind, text });
      return;
    }
    try {
      const answer = api.runtime.sendMessage({ kind, text });
      if (answer && typeof answer.catch === "function") {
        answer.catch(() => undefined);
      }
    } catch (error) {
      // The extension was reloaded or removed: this page's script is orphaned; stop quietly.
      observer.disconnect();
    }
  }

  /** The element's text, read node by node up to ``limit`` characters. */
  function textOf(element, limit) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let text = "";
    let nodes = 0;
    while (text.length < limit && nodes < LIMITS.nodesPerContainer && walker.nextNode()) {
      text += walker.currentNode.data + " ";
      nodes += 1;
    }
    return text.slice(0, limit);
  }

  function shown(element) {
    if (typeof element.checkVisibility === "function") {
      return element.checkVisibility();
    }
    return element.getClientRects().length > 0;
  }

  function checkContainer(element) {
    if (notices.length === 0) {
      return;
    }
    const text = textOf(element, LIMITS.containerText);
    const normalised = MPG.normalise(text);
    if (!notices.some((notice) => normalised.includes(notice))) {
      hidden.delete(element);
      return;
    }
    if (!shown(element)) {
      if (hidden.size < LIMITS.hiddenContainers) {
        hidden.add(element);
      }
      return;
    }
    hidden.delete(element);
    post("notice", MPG.plain(text, LIMITS.notice));
  }

  function checkName(text) {
    if (botNames.length === 0 || typeof text !== "string") {
      return;
    }
    const name = text.trim();
    if (name.length === 0 || name.length > LIMITS.participant) {
      return; // a display name is short; longer text (a chat line mentioning a bot) is not a participant
    }
    const normalised = MPG.normalise(name);
    if (botNames.some((bot) => normalised.includes(bot))) {
      post("participant", name);
    }
  }

  /** Text nodes under ``node`` as possible display names, and the notice containers in and around it. */
  function visit(node, containers, budget) {
    if (node.nodeType === Node.TEXT_NODE) {
      checkName(node.data);
      budget.nodes -= 1;
      const parent = node.parentElement && node.parentElement.closest(CONTAINERS);
      if (parent) {
        containers.add(parent);
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    const around = node.closest(CONTAINERS);
    if (around) {
      containers.add(around);
    }
    for (const inside of node.querySelectorAll(CONTAINERS)) {
      if (containers.size >= LIMITS.containersPerBatch) {
        budget.truncated = true;
        break;
      }
      containers.add(inside);
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (budget.nodes <= 0) {
        budget.truncated = true;
        return;
      }
      checkName(walker.currentNode.data);
      budget.nodes -= 1;
    }
  }

  function handle(records) {
    const started = bench ? performance.now() : 0;
    const containers = new Set();
    const budget = { nodes: LIMITS.nodesPerBatch, truncated: records.length > LIMITS.recordsPerBatch };
    const count = Math.min(records.length, LIMITS.recordsPerBatch);
    for (let index = 0; index < count && budget.nodes > 0; index += 1) {
      const record = records[index];
      if (record.type === "childList") {
        for (const added of record.addedNodes) {
          if (budget.nodes <= 0) {
            budget.truncated = true;
            break;
          }
          visit(added, containers, budget);
        }
      } else if (record.type === "characterData") {
        visit(record.target, containers, budget);
      } else if (record.target.nodeType === Node.ELEMENT_NODE) {
        const around = record.target.closest(CONTAINERS);
        if (around) {
          containers.add(around);
        }
      }
    }
    for (const element of hidden) { // shown since? (a class or style change revealed it)
      containers.add(element);
    }
    let checked = 0;
    for (const element of containers) {
      if (checked >= LIMITS.containersPerBatch) {
        budget.truncated = true;
        break;
      }
      if (element.isConnected) {
        checkContainer(element);
      } else {
        hidden.delete(element);
      }
      checked += 1;
    }
    if (budget.truncated) {
      scheduleRescan();
    }
    if (bench) {
      bench.batches.push(performance.now() - started);
    }
  }

  function scan() {
    const containers = new Set();
    const budget = { nodes: LIMITS.nodesPerScan, truncated: false };
    if (document.body) {
      visit(document.body, containers, budget);
    }
    let checked = 0;
    for (const element of containers) {
      if (checked >= LIMITS.containersPerScan) {
        break;
      }
      checkContainer(element);
      checked += 1;
    }
  }

  function scheduleRescan() {
    if (rescanTimer !== null) {
      return;
    }
    rescanTimer = setTimeout(() => {
      rescanTimer = null;
      scan();
    }, LIMITS.rescanDelayMs);
  }

  const observer = new MutationObserver(handle);
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["open", "hidden", "aria-hidden", "role", "aria-live", "class", "style"],
  });
  scan();
})();
