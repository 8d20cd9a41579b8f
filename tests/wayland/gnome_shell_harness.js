// Test harness: runs the Guard's GNOME Shell extension's D-Bus object (windowTitles.js, the
// shipped file, copied next to this one) under plain gjs, as GNOME Shell would: on the session
// bus, on a connection that owns org.gnome.Shell. The Shell's window list is the one thing
// stood in for: the windows come from the JSON file named on the command line.
//
// Usage: gjs -m gnome_shell_harness.js WINDOWS.json   (prints READY once it answers)
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {WindowTitles} from './windowTitles.js';

const [windowsFile] = ARGV;
const [, bytes] = GLib.file_get_contents(windowsFile);
const windows = JSON.parse(new TextDecoder().decode(bytes));
const loop = new GLib.MainLoop(null, false);
const service = new WindowTitles(() => windows, () => windows.find(window => window.focused)?.id ?? 0);

Gio.bus_own_name(Gio.BusType.SESSION, 'org.gnome.Shell', Gio.BusNameOwnerFlags.NONE,
    connection => service.export(connection),
    () => print('READY'),
    () => loop.quit());
loop.run();
