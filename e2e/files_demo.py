"""The Files view's screenshots for the README, taken in the built-in demo
(called by e2e/demo_e2e.py once the demo's documents are synced; `make
screenshots` writes them to docs/screenshots, a test run to artifacts/).

Each picture shows the view in a state a person meets, made the way a
person makes it: a bandwidth limit set in Settings and a large file added to
the folder (uploading, with its percentage), a note added while that runs
(waiting to upload), a folder opened in the tree; the activity of the first
sync; unticking a folder that holds a new file (the question it asks); the
share link created for a document. Each step checks what it shows."""
import json
import os
import time

from suite_e2e import wait

q = json.dumps


def files_shots(app, synced, shot, log):
    """shot(name, min_colours, before) -> (colours, png bytes), as in demo_e2e.py."""
    def js(s):
        return app.js(s)

    def rows():
        return dict(json.loads(js("JSON.stringify(Array.from(document.querySelectorAll('#files-tree [role=treeitem]'))"
                                  ".map(function(r){return [r.dataset.path, r.querySelector('.state').textContent]}))")))

    def top(sel):
        js("(function(){var e=document.querySelector(%s); if (e) e.scrollIntoView(); return 'ok'})()" % q(sel))

    wait("the tree with the demo's folders", lambda: rows().get("Documents") == "Synced" and rows().get("Photos") == "Synced", timeout=30)

    # A slow line: 16 KiB/s in Settings; a recording of 2 MiB takes minutes.
    js("(function(){var f=document.querySelector('#files-settings'); f.closest('details').open = true;"
       "document.querySelector('#files-limit').value = '16'; f.requestSubmit(); return 'ok'})()")
    wait("the limit saved", lambda: "Saved" in js("document.querySelector('#files-settings-msg').textContent"), timeout=10)
    js("document.querySelector('#files-settings').closest('details').open = false, 'ok'")
    with open(os.path.join(synced, "Recording team meeting.webm"), "wb") as f:
        f.write(os.urandom(2 << 20))
    js("document.querySelector('#files-syncnow').click(), 'ok'")
    wait("the recording uploading, with its percentage",
         lambda: rows().get("Recording team meeting.webm", "").startswith("Transferring, "), timeout=30)
    with open(os.path.join(synced, "Documents", "Notes kickoff.txt"), "w") as f:
        f.write("Kickoff: Monday 10:00\n")
    js("(function(){var t=document.querySelector('#files-tree [data-path=\"Documents\"] .twisty'); t.click(); return 'ok'})()")
    wait("the note waiting to upload in the opened folder",
         lambda: rows().get("Documents/Notes kickoff.txt") == "Waiting to upload" and rows().get("Documents/Projektplan 2027.pdf") == "Synced",
         timeout=20)
    js("document.querySelector('#files-tree').focus(), 'ok'")
    top("#files-tree-h")
    time.sleep(1.2)  # the percentage moves on; the picture is taken between two readings
    _, png = shot("files-tree.png", 300)
    log("files tree:", {k: v for k, v in rows().items() if "/" not in k or k.startswith("Documents/N")})

    top("#files-activity-h")
    wait("the first sync's downloads in the activity",
         lambda: "Downloaded · Documents/Projektplan 2027.pdf" in js("document.querySelector('#files-activity').textContent"), timeout=20)
    _, png = shot("files-activity.png", 300, png)

    # Unticking Photos, which now holds a new caption file: the question.
    with open(os.path.join(synced, "Photos", "Captions.txt"), "w") as f:
        f.write("Baustelle Ostseite: März\n")
    js("document.querySelector('#files-pick').open = true, 'ok'")
    box = "document.querySelector('#files-pick li[data-path=\"Photos\"] input[type=checkbox]')"
    wait("Photos in the folder list", lambda: js("(function(){var b=%s;return b&&b.checked?'y':''})()" % box) == "y", timeout=20)
    top("#files-pick")
    js("%s.click(), 'ok'" % box)
    wait("the question", lambda: "Photos/Captions.txt" in js(
        "(function(){var d=document.querySelector('#files-pick-ask');return d&&d.open?d.textContent:''})()"), timeout=10)
    _, png = shot("files-picker.png", 300, png)
    js("document.querySelector('#files-pick-no').click(), 'ok'")
    wait("Photos still ticked", lambda: js("%s.checked ? 'y' : 'n'" % box) == "y", timeout=5)

    # A share link for a document, with a password and an expiry, created on the demo's server.
    js("(function(){var r=document.querySelector('#files-tree [data-path=\"Documents/Projektplan 2027.pdf\"] .name'); r.click(); return 'ok'})()")
    wait("the document selected", lambda: "Projektplan 2027.pdf" in js("document.querySelector('#files-tree-current').textContent"), timeout=10)
    js("(function(){var d=document.querySelector('#files-share'); d.open = true;"
       "document.querySelector('#files-share-password').value = 'Sommer-2027';"
       "document.querySelector('#files-share-expire').value = '2027-03-31';"
       "document.querySelector('#files-share-create').click(); return 'ok'})()")
    wait("the share link", lambda: "/index.php/s/" in js(
        "(function(){var r=document.querySelector('#files-share-result');return r?r.textContent:''})()"), timeout=15)
    top("#files-tree-h")
    shot("files-share.png", 300, png)

    # The demo goes on at full speed.
    js("(function(){document.querySelector('#files-limit').value = '0';"
       "document.querySelector('#files-settings').requestSubmit(); return 'ok'})()")
