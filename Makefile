# The two commands of the README:
#   make run   installs what is missing, builds Deskport and opens its window
#              (on the built-in demo suite until you connect your own)
#   make test  installs what is missing (with the test tools) and runs every test
# And: make screenshots   retakes the README's pictures from the demo
#      make figures       prints the memory figures the README quotes
.PHONY: run test build deps clean screenshots figures dist
TAGS := webkit2_41
VERSION = $(shell scripts/version.sh)
export PATH := $(shell go env GOPATH 2>/dev/null)/bin:/usr/local/go/bin:$(PATH)
LOGS := artifacts/logs

run: build
	./build/bin/deskport demo --unless-configured

# make run without a screen says so before anything is installed or built,
# and exits 1. A failed recipe would make make exit 2, so the message is
# printed while the Makefile is read and make is put in question mode (-q):
# it runs no recipe and exits 1 because run is not up to date.
NO_DISPLAY_HELP = printf '%s\n' \
  "make run: the window needs a graphical session, and neither DISPLAY nor WAYLAND_DISPLAY is set." \
  "  Run it from your desktop, or under a virtual screen: xvfb-run -a make run" \
  "  (make test needs no screen; 'deskport demo --headless' runs the demo suite without a window)" >&2
ifneq ($(filter run,$(or $(MAKECMDGOALS),run)),)
ifeq ($(strip $(DISPLAY)$(WAYLAND_DISPLAY)),)
$(shell $(NO_DISPLAY_HELP))
MAKEFLAGS += -q
endif
endif

build: deps
	@mkdir -p $(LOGS)
	@echo "build: compiling Deskport with wails (1-3 minutes; details in $(LOGS)/build.log)" >&2
	@wails build -m -tags $(TAGS) -ldflags "-X github.com/deskport/deskport/internal/buildinfo.Version=$(VERSION)" -o deskport >$(LOGS)/build.log 2>&1 || { tail -40 $(LOGS)/build.log >&2; echo "build: failed; the whole log is $(LOGS)/build.log" >&2; exit 1; }
	@echo "build: build/bin/deskport" >&2

test:
	scripts/test.sh

deps:
	@scripts/deps.sh

# The README's pictures of the window, all from the demo (scripts/e2e-demo.sh
# takes them in every test run, into artifacts/screenshots).
screenshots:
	DESKPORT_E2E_SHOTS=$(CURDIR)/docs/screenshots scripts/e2e-demo.sh

figures: build
	dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" python3 e2e/measure_memory.py build/bin/deskport

clean:
	rm -rf build/bin frontend/dist/assets

# make dist: the .deb and the Windows installer in dist/ (scripts/dist.sh)
dist:
	@scripts/deps.sh --test   # NSIS, lintian
	scripts/dist.sh
