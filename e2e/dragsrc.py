#!/usr/bin/python3
"""A drag source for the files e2e: a small GTK window whose button drags
the files named on the command line as text/uri-list (what a file manager
offers), so the test drops them on Deskport with a real X drag-and-drop
(XDND) made by the X pointer (xdotool), not a script call.

usage: dragsrc.py X Y FILE...   (the window's position on the screen)
Prints "ready" once shown and "end <action>" when a drag ends.
Needs python3-gi with GTK 3 (Debian's /usr/bin/python3)."""
import sys
import urllib.parse

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

x, y, files = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
uris = ["file://" + urllib.parse.quote(f) for f in files]

win = Gtk.Window(title="deskport-e2e-dragsrc")
win.set_default_size(160, 60)
win.move(x, y)
win.set_keep_above(True)
button = Gtk.Button(label="drag me")
win.add(button)
button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [Gtk.TargetEntry.new("text/uri-list", 0, 0)],
                       Gdk.DragAction.COPY)


def on_get(widget, context, data, info, time):
    data.set_uris(uris)


def on_end(widget, context):
    print("end", context.get_selected_action(), flush=True)


button.connect("drag-data-get", on_get)
button.connect("drag-end", on_end)
win.connect("destroy", Gtk.main_quit)
win.show_all()
GLib.timeout_add(300, lambda: print("ready", flush=True) and False)
Gtk.main()
