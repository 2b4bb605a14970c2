# The two commands of the README:
#   make run   installs what is missing, builds Deskport and opens its window
#   make test  installs what is missing and runs every test
.PHONY: run test build deps clean dist
TAGS := webkit2_41
VERSION = $(shell scripts/version.sh)
export PATH := $(shell go env GOPATH 2>/dev/null)/bin:/usr/local/go/bin:$(PATH)

run: build
	./build/bin/deskport

build: deps
	wails build -m -tags $(TAGS) -ldflags "-X main.version=$(VERSION)" -o deskport

test:
	scripts/test.sh

deps:
	scripts/deps.sh

clean:
	rm -rf build/bin frontend/dist/assets

# make dist: the .deb and the Windows installer in dist/ (scripts/dist.sh)
dist: deps
	scripts/dist.sh
