package ncnotify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func server(t *testing.T, body string, code int) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if r.URL.Path != "/ocs/v2.php/apps/notifications/api/v2/notifications" || r.Header.Get("OCS-APIRequest") != "true" {
			http.Error(w, "wrong request", http.StatusBadRequest)
			return
		}
		if !ok || u != "alice" || p != "app-pass" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(code)
		w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

const two = `{"ocs":{"meta":{"status":"ok","statuscode":200},"data":[
 {"notification_id":7,"app":"files_sharing","subject":"Bob shared Budget.ods with you","message":"","link":"https://files.example.org/f/1","datetime":"2026-11-28T02:00:00+00:00"},
 {"notification_id":9,"app":"spreed","subject":"Carol mentioned you","message":"hi","link":"","datetime":"2026-11-28T03:00:00+00:00"}]}}`

func TestFetch(t *testing.T) {
	s := server(t, two, 200)
	got, err := Fetch(context.Background(), s.Client(), s.URL+"/", "alice", "app-pass")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != 9 || got[1].Subject != "Bob shared Budget.ods with you" {
		t.Errorf("Fetch = %+v", got)
	}
	if _, err := Fetch(context.Background(), s.Client(), s.URL, "alice", "wrong"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong password: %v", err)
	}
}

func TestFetchStatuses(t *testing.T) {
	if got, err := Fetch(context.Background(), http.DefaultClient, server(t, "", 204).URL, "alice", "app-pass"); err != nil || len(got) != 0 {
		t.Errorf("204: %v %v", got, err)
	}
	if _, err := Fetch(context.Background(), http.DefaultClient, server(t, "", 404).URL, "alice", "app-pass"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("404: %v", err)
	}
	if _, err := Fetch(context.Background(), http.DefaultClient, server(t, "<html>", 200).URL, "alice", "app-pass"); err == nil {
		t.Error("HTML must not parse as notifications")
	}
	if _, err := Fetch(context.Background(), http.DefaultClient, server(t, "", 500).URL, "alice", "app-pass"); err == nil {
		t.Error("500 is an error")
	}
}

func TestTracker(t *testing.T) {
	var tr Tracker
	a, b, c := Notification{ID: 1}, Notification{ID: 2}, Notification{ID: 3}
	if n := tr.New([]Notification{a, b}); len(n) != 0 {
		t.Errorf("first poll announces nothing, got %v", n)
	}
	if n := tr.New([]Notification{c, a, b}); len(n) != 1 || n[0].ID != 3 {
		t.Errorf("second poll = %v, want only 3", n)
	}
	if n := tr.New([]Notification{c}); len(n) != 0 {
		t.Errorf("nothing new = %v", n)
	}
	if n := tr.New([]Notification{a, c}); len(n) != 1 || n[0].ID != 1 {
		t.Errorf("a dismissed and re-sent notification is new again: %v", n)
	}
}
