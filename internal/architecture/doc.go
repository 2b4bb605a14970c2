// Package architecture holds no code: its test checks the rules the tree is
// built on (docs/architecture.md draws them), so that a change that breaks
// one fails `make test` instead of slowly tangling the packages:
//
//   - the root holds main.go alone: it picks the window (app/) or a command
//     (internal/cli) and wires them together;
//   - the command line knows no window: internal/cli imports no Wails
//     package and nothing from app/, and builds without cgo;
//   - the engines know no window: no package under internal/ imports app/ or
//     Wails; the two web engine hooks (internal/webkit through cgo,
//     internal/webview2hooks through go-webview2) are the only ones that
//     reach a web view;
//   - files and mail never meet: the file sync packages import nothing of
//     mail, and the mail packages nothing of file sync.
package architecture
