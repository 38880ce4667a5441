package engine

import "time"

// The dossier's contents (issue 10): what a procedure asks the applicant
// to hand in (thành phần hồ sơ), the fees it charges and the result it
// issues, and what a dossier actually holds of each. The law asks the
// desk to scan and keep the components at reception and to keep the
// result (Decree 61/2018 Art 17.1 and 20.5, carried over by Decree
// 118/2025); Decision 766 scores digitisation (4.1–4.3) and fees (3.5,
// 3.6) from these records.

// OnlineLevel is how a procedure may be submitted online (dịch vụ công
// trực tuyến toàn trình / một phần).
type OnlineLevel string

// Online levels a procedure may declare.
const (
	OnlineFull    OnlineLevel = "toan-trinh" // the whole procedure online, result included
	OnlinePartial OnlineLevel = "mot-phan"   // submitted online, some step at the desk
	OnlineNone    OnlineLevel = "none"       // at the desk or by post only
)

// CopyKind is the form in which a component must be (or was) handed in.
type CopyKind string

// Copy kinds of a component.
const (
	CopyOriginal  CopyKind = "original"  // bản chính
	CopyPlain     CopyKind = "copy"      // bản sao
	CopyCertified CopyKind = "certified" // bản sao chứng thực
	CopyAny       CopyKind = "any"       // any of the above
)

// Component is one document a procedure asks for.
type Component struct {
	ID       string
	Name     string
	NameEN   string
	Copy     CopyKind
	Count    int
	Required bool
}

// Fee is one fee or charge (phí, lệ phí) a procedure collects, in VND.
type Fee struct {
	ID     string
	Name   string
	NameEN string
	Amount int64
	// Per is "copy" when Amount is charged per copy issued; empty for a
	// flat fee.
	Per string
	// Due is "before_result" when the fee must be paid before the dossier
	// can reach an approved final state; empty when it is due at reception.
	Due string
}

// FeePerCopy and FeeDueBeforeResult are the values Fee.Per and Fee.Due take.
const (
	FeePerCopy         = "copy"
	FeeDueBeforeResult = "before_result"
)

// FileRule says whether a procedure's result must be attached as a file.
type FileRule string

// File rules of a procedure's result.
const (
	// ResultFileRequired: an approved final state needs a result file.
	ResultFileRequired FileRule = "required"
	ResultFileOptional FileRule = "optional"
	ResultFileNone     FileRule = "none"
)

// ResultSpec is the result a procedure issues.
type ResultSpec struct {
	Name   string
	NameEN string
	File   FileRule
}

// ComponentReceipt is what the desk recorded of one component at
// reception or at a supplement: the form and the number of copies.
type ComponentReceipt struct {
	ID    string   `json:"id"`
	Copy  CopyKind `json:"copy"`
	Count int      `json:"count"`
}

// FileRef is one stored file of a dossier: a scan of a component or the
// electronic result. The bytes live in the file store, addressed by
// SHA256; the dossier keeps only this record. A file that is part of the
// record is never removed: a corrected scan supersedes the old one and
// both stay listed.
type FileRef struct {
	// ID names the file within the system (stable, unique).
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// ContentType is sniffed from the bytes, never taken from the name.
	ContentType string `json:"content_type"`
	// Name is the uploaded file's name: metadata only, never a path.
	Name string `json:"name,omitempty"`
	// Component is the component this file is a scan of; empty for the result.
	Component string `json:"component,omitempty"`
	// Result marks the electronic result (Decision 766 indicator 4.1).
	Result bool `json:"result,omitempty"`
	// Signed says a PDF carries a digital signature dictionary.
	Signed bool `json:"signed,omitempty"`
	// Supersedes is the ID of the file this one corrects.
	Supersedes string `json:"supersedes,omitempty"`
	// ReusedFrom is the code of the earlier dossier whose file this is,
	// when the component reuses it instead of a new scan (indicator 4.3).
	ReusedFrom string    `json:"reused_from,omitempty"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
}

// PayMethod is how a fee was paid.
type PayMethod string

// Payment methods.
const (
	PayCounter  PayMethod = "counter"  // cash at the desk
	PayTransfer PayMethod = "transfer" // bank transfer
	PayOnline   PayMethod = "online"   // online payment, with its reference (indicator 3.5)
)

// FeeRecord is one fee charged on a dossier and whether it was paid.
type FeeRecord struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
	// Copies is how many copies a per-copy fee was charged for.
	Copies    int        `json:"copies,omitempty"`
	Paid      bool       `json:"paid"`
	Method    PayMethod  `json:"method,omitempty"`
	Reference string     `json:"reference,omitempty"`
	Receipt   string     `json:"receipt,omitempty"`
	PaidAt    *time.Time `json:"paid_at,omitempty"`
	By        string     `json:"by,omitempty"`
}

// Rating is the applicant's one rating of the service once the result
// was returned (Decree 61/2018 Art 30–31, kept by Decree 118/2025).
// Never edited after it is stored.
type Rating struct {
	At time.Time `json:"at"`
	// Scores holds each criterion's score, by criterion id.
	Scores  map[string]int `json:"scores"`
	Comment string         `json:"comment,omitempty"`
}
