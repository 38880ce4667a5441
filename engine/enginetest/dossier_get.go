package enginetest

import (
	"testing"

	"github.com/motcua/motcua/engine"
)

// dossierGetTests pin the contract of Get and GetByReceiveKey.
var dossierGetTests = []storeTest{
	{"Get/UnknownIsNotFound", false, testGetUnknown},
	{"GetByReceiveKey/FindsTheDossier", false, testGetByReceiveKey},
	{"GetByReceiveKey/EmptyKeyIsNotFound", false, testGetByEmptyKey},
}

func testGetUnknown(t *testing.T, s engine.Store) {
	_, err := s.Get(t.Context(), "XA01-260302-9999")
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("Get unknown: got %v (code %s), want not_found", err, engine.ErrorCode(err))
	}
	_, err = s.GetByReceiveKey(t.Context(), "no-such-key")
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("GetByReceiveKey unknown: got %v (code %s), want not_found", err, engine.ErrorCode(err))
	}
}

func testGetByReceiveKey(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	mustInsert(t, s, NewDossier("XA01-260302-0002"))
	got, err := s.GetByReceiveKey(t.Context(), d.ReceiveKey)
	if err != nil {
		t.Fatal(err)
	}
	if diff := Diff(d, got); diff != "" {
		t.Errorf("GetByReceiveKey: %s", diff)
	}
}

// testGetByEmptyKey: "no key" is not a key, even when dossiers without
// one are stored.
func testGetByEmptyKey(t *testing.T, s engine.Store) {
	mustInsert(t, s, NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.ReceiveKey = "" }))
	_, err := s.GetByReceiveKey(t.Context(), "")
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("GetByReceiveKey(\"\"): got %v, want not_found", err)
	}
}
