/* Meeting Privacy Guard: the Chromium service worker loads the same scripts Firefox's event page lists. */
"use strict";
importScripts("data.js", "common.js", "background.js");
