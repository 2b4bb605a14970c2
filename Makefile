# The two commands of the README:
#   make run   installs what is missing, builds Deskport and opens its window
#   make test  installs what is missing and runs every test
.PHONY: run test build deps clean
TAGS := webkit2_41
export PATH := $(shell go env GOPATH 2>/dev/null)/bin:/usr/local/go/bin:$(PATH)

run: build
	./build/bin/deskport

build: deps
	wails build -m -tags $(TAGS) -o deskport

test:
	scripts/test.sh

deps:
	scripts/deps.sh

clean:
	rm -rf build/bin frontend/dist/assets
