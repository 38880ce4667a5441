package sqlitestore

import (
	"time"

	"github.com/motcua/motcua/engine"
)

// The stored forms of a dossier's contents (issue 10): components
// received, files, fees and the applicant's rating. Optional fields
// added by issue 10; documents written before carry none of them.

type componentDoc struct {
	ID    string `json:"id"`
	Copy  string `json:"copy"`
	Count int    `json:"count"`
}

type fileDoc struct {
	ID          string    `json:"id"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Name        string    `json:"name,omitempty"`
	Component   string    `json:"component,omitempty"`
	Result      bool      `json:"result,omitempty"`
	Signed      bool      `json:"signed,omitempty"`
	Supersedes  string    `json:"supersedes,omitempty"`
	ReusedFrom  string    `json:"reused_from,omitempty"`
	At          time.Time `json:"at"`
	By          string    `json:"by"`
}

type feeDoc struct {
	ID        string    `json:"id"`
	Amount    int64     `json:"amount"`
	Copies    int       `json:"copies,omitempty"`
	Paid      bool      `json:"paid"`
	Method    string    `json:"method,omitempty"`
	Reference string    `json:"reference,omitempty"`
	Receipt   string    `json:"receipt,omitempty"`
	PaidAt    time.Time `json:"paid_at,omitzero"`
	By        string    `json:"by,omitempty"`
}

type ratingDoc struct {
	At      time.Time      `json:"at"`
	Scores  map[string]int `json:"scores"`
	Comment string         `json:"comment,omitempty"`
}

// contentsDocOf fills doc's contents fields from d.
func contentsDocOf(doc *dossierDoc, d *engine.Dossier) {
	if d.Components != nil {
		doc.Components = make([]componentDoc, len(d.Components))
		for i, c := range d.Components {
			doc.Components[i] = componentDoc{ID: c.ID, Copy: string(c.Copy), Count: c.Count}
		}
	}
	if d.Files != nil {
		doc.Files = make([]fileDoc, len(d.Files))
		for i, f := range d.Files {
			doc.Files[i] = fileDoc{ID: f.ID, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType,
				Name: f.Name, Component: f.Component, Result: f.Result, Signed: f.Signed,
				Supersedes: f.Supersedes, ReusedFrom: f.ReusedFrom, At: storeTime(f.At), By: f.By}
		}
	}
	if d.Fees != nil {
		doc.Fees = make([]feeDoc, len(d.Fees))
		for i, f := range d.Fees {
			doc.Fees[i] = feeDoc{ID: f.ID, Amount: f.Amount, Copies: f.Copies, Paid: f.Paid,
				Method: string(f.Method), Reference: f.Reference, Receipt: f.Receipt,
				PaidAt: storeTimePtr(f.PaidAt), By: f.By}
		}
	}
	if d.Rating != nil {
		doc.Rating = &ratingDoc{At: storeTime(d.Rating.At), Scores: d.Rating.Scores, Comment: d.Rating.Comment}
	}
}

// contents fills d's contents fields from doc.
func (doc *dossierDoc) contents(d *engine.Dossier) {
	if doc.Components != nil {
		d.Components = make([]engine.ComponentReceipt, len(doc.Components))
		for i, c := range doc.Components {
			d.Components[i] = engine.ComponentReceipt{ID: c.ID, Copy: engine.CopyKind(c.Copy), Count: c.Count}
		}
	}
	if doc.Files != nil {
		d.Files = make([]engine.FileRef, len(doc.Files))
		for i, f := range doc.Files {
			d.Files[i] = engine.FileRef{ID: f.ID, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType,
				Name: f.Name, Component: f.Component, Result: f.Result, Signed: f.Signed,
				Supersedes: f.Supersedes, ReusedFrom: f.ReusedFrom, At: readTime(f.At), By: f.By}
		}
	}
	if doc.Fees != nil {
		d.Fees = make([]engine.FeeRecord, len(doc.Fees))
		for i, f := range doc.Fees {
			d.Fees[i] = engine.FeeRecord{ID: f.ID, Amount: f.Amount, Copies: f.Copies, Paid: f.Paid,
				Method: engine.PayMethod(f.Method), Reference: f.Reference, Receipt: f.Receipt,
				PaidAt: readTimePtr(f.PaidAt), By: f.By}
		}
	}
	if doc.Rating != nil {
		d.Rating = &engine.Rating{At: readTime(doc.Rating.At), Scores: doc.Rating.Scores, Comment: doc.Rating.Comment}
	}
}
