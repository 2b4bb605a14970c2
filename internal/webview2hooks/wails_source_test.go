package webview2hooks

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The hooks reach into Wails' and go-webview2's internals (see doc.go).
// These tests read the source of exactly the versions in go.mod (from the
// module cache) and check every name, type and ordering the Windows code
// relies on, so that an upgrade that changes one fails here, on Linux, in
// `make test` — instead of a Windows window that refuses every remote page.

// moduleDir returns the directory of module path at the go.mod version,
// downloading it if needed.
func moduleDir(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", path).Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v (the module must be reachable to check the hooks against it)", path, err)
	}
	var m struct{ Dir, Version, Error string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %s %s", path, out, m.Error)
	}
	t.Logf("%s %s", path, m.Version)
	return m.Dir
}

func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

func findStruct(files []*ast.File, name string) (*ast.StructType, *ast.File) {
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, s := range g.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Name == name {
					if st, ok := ts.Type.(*ast.StructType); ok {
						return st, f
					}
				}
			}
		}
	}
	return nil, nil
}

func findFunc(files []*ast.File, recv, name string) *ast.FuncDecl {
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != name || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			if strings.TrimPrefix(expr(fd.Recv.List[0].Type), "*") == recv {
				return fd
			}
		}
	}
	return nil
}

func expr(e ast.Node) string {
	var b strings.Builder
	printer.Fprint(&b, token.NewFileSet(), e)
	return b.String()
}

// fieldType returns the type of the named field ("" if absent); embedded
// fields are named by their type.
func fieldType(st *ast.StructType, name string) string {
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			t := expr(f.Type)
			if t == name || strings.HasSuffix(t, "."+name) {
				return t
			}
		}
		for _, n := range f.Names {
			if n.Name == name {
				return expr(f.Type)
			}
		}
	}
	return ""
}

func importPath(f *ast.File, name string) string {
	for _, im := range f.Imports {
		p := strings.Trim(im.Path.Value, `"`)
		if (im.Name != nil && im.Name.Name == name) || (im.Name == nil && filepath.Base(p) == name) {
			return p
		}
	}
	return ""
}

func TestWailsFrontendLayout(t *testing.T) {
	wails := moduleDir(t, "github.com/wailsapp/wails/v2")
	winDir := filepath.Join(wails, "internal/frontend/desktop/windows")
	files := parseDir(t, winDir)

	st, file := findStruct(files, "Frontend")
	if st == nil {
		t.Fatal("Wails' Windows frontend has no type Frontend")
	}
	if got := fieldType(st, FieldChromium); got != "*edge.Chromium" {
		t.Errorf("Frontend.%s is %q, the hooks expect *edge.Chromium", FieldChromium, got)
	}
	if p := importPath(file, "edge"); p != "github.com/wailsapp/go-webview2/pkg/edge" {
		t.Errorf("edge is imported from %q", p)
	}
	if got := fieldType(st, FieldMainWindow); got != "*Window" {
		t.Errorf("Frontend.%s is %q, the hooks expect *Window", FieldMainWindow, got)
	}

	// Window → winc.Form → ControlBase, whose Invoke(func()) runs a function
	// on the UI thread.
	win, _ := findStruct(files, "Window")
	if win == nil || fieldType(win, "Form") != "winc.Form" {
		t.Fatalf("Window does not embed winc.Form")
	}
	winc := parseDir(t, filepath.Join(winDir, "winc"))
	form, _ := findStruct(winc, "Form")
	if form == nil || fieldType(form, "ControlBase") != "ControlBase" {
		t.Fatal("winc.Form does not embed ControlBase")
	}
	inv := findFunc(winc, "ControlBase", "Invoke")
	if inv == nil || expr(inv.Type) != "func(f func())" {
		t.Fatalf("ControlBase.Invoke is not func(func()): %v", inv)
	}

	// When the chromium exists: Run creates it and embeds it
	// (setupChromium, which ends by navigating to the shell) before it
	// starts OnStartup, so the hooks can be installed from OnStartup.
	run := findFunc(files, "Frontend", "Run")
	if run == nil {
		t.Fatal("no Frontend.Run")
	}
	body := expr(run.Body)
	create := strings.Index(body, "f.chromium = edge.NewChromium()")
	setup := strings.Index(body, "f.setupChromium()")
	startup := strings.Index(body, "f.frontendOptions.OnStartup(f.ctx)")
	if create < 0 || setup < create || startup < setup {
		t.Errorf("Frontend.Run no longer creates the chromium (%d), embeds it (%d), then calls OnStartup (%d)", create, setup, startup)
	}
	setupFn := findFunc(files, "Frontend", "setupChromium")
	if setupFn == nil {
		t.Fatal("no Frontend.setupChromium")
	}
	sb := expr(setupFn.Body)
	for _, want := range []string{"chromium.Embed(", "chromium.SetGlobalPermission(edge.CoreWebView2PermissionStateAllow)", "chromium.Navigate(f.startURL.String())"} {
		if !strings.Contains(sb, want) {
			t.Errorf("setupChromium no longer calls %s: review what the hooks undo or rely on", want)
		}
	}
	// Wails checks the address of the document that sent a message (not only
	// the top page's): the reason a frame cannot call bindings on Windows.
	if pm := findFunc(files, "Frontend", "processMessage"); pm == nil || !strings.Contains(expr(pm.Body), "args.GetSource()") {
		t.Error("processMessage no longer checks the sender's source")
	}

	// The context key app code reads the frontend from.
	prod, err := os.ReadFile(filepath.Join(wails, "internal/app/app_production.go"))
	if err != nil || !strings.Contains(string(prod), `context.WithValue(ctx, "frontend", appFrontend)`) || !strings.Contains(string(prod), "a.frontend.Run(a.ctx)") {
		t.Errorf("production builds no longer store the frontend as ctx.Value(\"frontend\") (%v)", err)
	}
	dev, _ := findStruct(parseDir(t, filepath.Join(wails, "internal/frontend/devserver")), "DevWebServer")
	if dev == nil || fieldType(dev, FieldDevWrapped) != "frontend.Frontend" {
		t.Errorf("the devserver no longer embeds frontend.Frontend (wails dev would fail closed)")
	}
}

func TestGoWebView2Layout(t *testing.T) {
	dir := filepath.Join(moduleDir(t, "github.com/wailsapp/go-webview2"), "pkg/edge")
	files := parseDir(t, dir)

	// The ICoreWebView2 slots, counted from go-webview2's vtable (IUnknown
	// first: 3 slots).
	vt, _ := findStruct(files, "iCoreWebView2Vtbl")
	if vt == nil {
		t.Fatal("go-webview2 has no iCoreWebView2Vtbl")
	}
	index := map[string]int{}
	i := 0
	for _, f := range vt.Fields.List {
		if len(f.Names) == 0 && expr(f.Type) == "_IUnknownVtbl" {
			i += 3
			continue
		}
		for _, n := range f.Names {
			index[n.Name] = i
			i++
		}
	}
	for name, slot := range map[string]int{
		"GetSource":                              slotWebViewGetSource,
		"Navigate":                               slotWebViewNavigate,
		"AddNavigationStarting":                  slotAddNavigationStarting,
		"AddFrameNavigationStarting":             slotAddFrameNavigationStarting,
		"AddPermissionRequested":                 slotAddPermissionRequested,
		"AddScriptToExecuteOnDocumentCreated":    slotAddScriptOnDocumentCreated,
		"RemoveScriptToExecuteOnDocumentCreated": slotRemoveScriptOnDocumentCreated,
		"AddNewWindowRequested":                  slotAddNewWindowRequested,
	} {
		if got, ok := index[name]; !ok || got != slot {
			t.Errorf("ICoreWebView2.%s is slot %d in go-webview2 (found %v), the hooks use %d", name, got, ok, slot)
		}
	}

	// The permission handler go-webview2 registers answers with the global
	// state first: SetGlobalPermission(Deny) turns Wails' Allow into Deny.
	pr := findFunc(files, "Chromium", "PermissionRequested")
	if pr == nil || !strings.Contains(expr(pr.Body), "if e.globalPermission != nil") {
		t.Error("go-webview2's PermissionRequested no longer answers with the global permission first")
	}
	// ... and registers it when the controller is created, before the hooks.
	cc := findFunc(files, "Chromium", "CreateCoreWebView2ControllerCompleted")
	if cc == nil || !strings.Contains(expr(cc.Body), "AddPermissionRequested(e.permissionRequested") {
		t.Error("go-webview2 no longer registers its permission handler at controller creation")
	}
	for _, m := range []string{"GetController", "SetGlobalPermission", "PutIsPasswordAutosaveEnabled", "PutIsGeneralAutofillEnabled"} {
		if findFunc(files, "Chromium", m) == nil {
			t.Errorf("go-webview2's Chromium has no %s", m)
		}
	}
}
