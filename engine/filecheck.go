package engine

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a stored file may be. The desk scans paper documents (Decree
// 61/2018 Art 17.1, as amended by Decree 107/2021): scans are PDF or
// images, and results are signed PDFs. Office documents (DOCX, XLSX) are
// not accepted: telling one from any other ZIP needs its central
// directory, at the end of the file, so the type could only be known
// after the whole upload is stored, and they may carry macros; a
// component or result is kept as the PDF a person reads.

// Accepted content types of dossier files.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeTIFF = "image/tiff"
)

// SniffLen is how many leading bytes SniffContentType needs.
const SniffLen = 8

// SniffContentType returns the accepted content type the leading bytes of
// a file show, or "" when they are of no accepted type. Only the bytes
// decide; the name and the client's Content-Type are never believed.
func SniffContentType(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return TypeTIFF
	}
	return ""
}

// extTypes are the extensions a file name of each type may carry.
var extTypes = map[string]string{
	".pdf": TypePDF, ".jpg": TypeJPEG, ".jpeg": TypeJPEG, ".jpe": TypeJPEG,
	".png": TypePNG, ".tif": TypeTIFF, ".tiff": TypeTIFF,
}

// ExtensionFor returns the usual extension of an accepted content type.
func ExtensionFor(contentType string) string {
	switch contentType {
	case TypePDF:
		return ".pdf"
	case TypeJPEG:
		return ".jpg"
	case TypePNG:
		return ".png"
	case TypeTIFF:
		return ".tif"
	}
	return ""
}

// CleanFileName turns an uploaded file's name into metadata safe to keep
// and to print in a Content-Disposition header: the last element of any
// path (either slash), control characters, quotes and backslashes
// dropped, at most 120 bytes of valid UTF-8. It is never used as a path.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(name, "") {
		if unicode.IsControl(r) || r == '"' || r == '\\' || r == utf8.RuneError {
			continue
		}
		if b.Len()+utf8.RuneLen(r) > 120 {
			break
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	if out == "." || out == ".." {
		return ""
	}
	return out
}

// CheckFileName refuses a name whose extension says another type than
// the bytes: "to-khai.pdf" holding a JPEG, or "scan.html" holding a PDF
// (a name nobody should download and open as what it says). A name
// without an extension is accepted: it is only metadata.
func CheckFileName(name, contentType string) error {
	ext := strings.ToLower(path.Ext(name))
	if ext == "" {
		return nil
	}
	if t, ok := extTypes[ext]; ok && t == contentType {
		return nil
	}
	return &FileTypeError{Name: name, ContentType: contentType, Mismatch: true}
}

// FileTypeError reports a file refused for its type: bytes of no
// accepted type (EUNSUPPORTED, 415), or a name whose extension disagrees
// with the bytes (EINVALID, 422). Nothing was stored.
type FileTypeError struct {
	Name        string
	ContentType string // sniffed; empty when no accepted type
	Mismatch    bool
}

func (e *FileTypeError) Error() string {
	if e.Mismatch {
		return fmt.Sprintf("file %q holds %s, which its extension does not say", e.Name, e.ContentType)
	}
	return fmt.Sprintf("file %q is not a PDF, JPEG, PNG or TIFF", e.Name)
}

// ErrorCode implements the application error code interface.
func (e *FileTypeError) ErrorCode() Code {
	if e.Mismatch {
		return EINVALID
	}
	return EUNSUPPORTED
}

// Message implements Localized.
func (e *FileTypeError) Message(lang string) string {
	if e.Mismatch {
		if lang == "en" {
			return fmt.Sprintf("The file %q holds %s but its name says otherwise; nothing was stored", e.Name, typeWord(e.ContentType))
		}
		return fmt.Sprintf("Tệp %q chứa %s nhưng tên tệp nói khác; chưa lưu gì", e.Name, typeWord(e.ContentType))
	}
	if lang == "en" {
		return "Only PDF, JPEG, PNG and TIFF files are accepted; nothing was stored"
	}
	return "Chỉ nhận tệp PDF, JPEG, PNG và TIFF; chưa lưu gì"
}

func typeWord(ct string) string {
	switch ct {
	case TypePDF:
		return "PDF"
	case TypeJPEG:
		return "JPEG"
	case TypePNG:
		return "PNG"
	case TypeTIFF:
		return "TIFF"
	}
	return ct
}

// FileTooLargeError reports an upload over a cap: one file's (PerDossier
// false) or the dossier's total (PerDossier true). Nothing was stored.
type FileTooLargeError struct {
	Limit      int64
	PerDossier bool
}

func (e *FileTooLargeError) Error() string {
	if e.PerDossier {
		return fmt.Sprintf("the dossier's files would pass %d bytes", e.Limit)
	}
	return fmt.Sprintf("file over %d bytes", e.Limit)
}

// ErrorCode implements the application error code interface.
func (e *FileTooLargeError) ErrorCode() Code { return ETOOLARGE }

// Message implements Localized: the limit, in MB as people count them.
func (e *FileTooLargeError) Message(lang string) string {
	mb := megabytes(e.Limit)
	switch {
	case e.PerDossier && lang == "en":
		return "The dossier's files may total at most " + mb + "; nothing was stored"
	case e.PerDossier:
		return "Tổng dung lượng tệp của hồ sơ tối đa " + mb + "; chưa lưu gì"
	case lang == "en":
		return "A file may be at most " + mb + "; nothing was stored"
	}
	return "Mỗi tệp tối đa " + mb + "; chưa lưu gì"
}

func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sigPatterns are the marks of a PDF signature dictionary (ISO 32000-1
// §12.8.1): its type, and the byte range the signature covers. The
// dictionary cannot hide in a compressed object stream, since the byte
// range must name its /Contents string where it stands in the file.
var sigPatterns = []*regexp.Regexp{
	regexp.MustCompile(`/Type\s*/Sig[\s/>\]]`),
	regexp.MustCompile(`/ByteRange\s*\[`),
}

// sigTail is how many bytes of one write the next one sees again, so that
// a mark split between two writes is still found.
const sigTail = 64

// SignatureScanner is an io.Writer that looks for a PDF signature
// dictionary in the bytes written through it, in constant memory: the
// upload streams through it on its way to the file store.
type SignatureScanner struct {
	tail  []byte
	found bool
	// seam holds the last write's tail and this write's head, reused so
	// that a scan allocates nothing per write.
	seam [2 * sigTail]byte
}

// Write implements io.Writer; it never fails.
func (s *SignatureScanner) Write(p []byte) (int, error) {
	if s.found {
		return len(p), nil
	}
	// Scan the tail of the last write with the head of this one, then
	// this one whole.
	head := p
	if len(head) > sigTail {
		head = head[:sigTail]
	}
	n := copy(s.seam[:], s.tail)
	n += copy(s.seam[n:], head)
	if matchAny(s.seam[:n]) || matchAny(p) {
		s.found = true
		return len(p), nil
	}
	if s.tail == nil {
		s.tail = make([]byte, 0, 2*sigTail)
	}
	if len(p) >= sigTail {
		s.tail = append(s.tail[:0], p[len(p)-sigTail:]...)
	} else {
		s.tail = append(s.tail, p...)
		if len(s.tail) > sigTail {
			s.tail = append(s.tail[:0], s.tail[len(s.tail)-sigTail:]...)
		}
	}
	return len(p), nil
}

// Signed reports whether a signature dictionary was seen.
func (s *SignatureScanner) Signed() bool { return s.found }

func matchAny(b []byte) bool {
	for _, re := range sigPatterns {
		if re.Match(b) {
			return true
		}
	}
	return false
}
