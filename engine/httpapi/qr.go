package httpapi

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// QR codes of the printed documents (issue 12: form 01 carries the
// lookup link, the applicant's slip the rating link) are drawn as inline
// SVG: they print sharp at any size, need no image route, and the page
// stays one request. The encoder is github.com/yeqown/go-qrcode/v2,
// chosen over skip2/go-qrcode because it is maintained (skip2's last
// release is from 2020) and its core encoder takes a Writer of the module
// matrix, so no image library comes with it: the SVG is written here.

// matrixWriter keeps the module matrix the encoder hands over.
type matrixWriter struct{ mat *qrcode.Matrix }

func (m *matrixWriter) Write(mat qrcode.Matrix) error { m.mat = &mat; return nil }
func (m *matrixWriter) Close() error                  { return nil }

// quietZone is the white margin a QR code needs around it, in modules
// (ISO/IEC 18004: four).
const quietZone = 4

// qrSVG returns text as a QR code in inline SVG, error correction M (15%:
// a receipt gets folded and stamped), labelled for screen readers.
func qrSVG(text, label string) (template.HTML, error) {
	qr, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return "", fmt.Errorf("qr of %q: %w", text, err)
	}
	var mw matrixWriter
	if err := qr.Save(&mw); err != nil {
		return "", fmt.Errorf("qr of %q: %w", text, err)
	}
	n := mw.mat.Width() + 2*quietZone
	var path strings.Builder
	mw.mat.Iterate(qrcode.IterDirection_ROW, func(x, y int, v qrcode.QRValue) {
		if v.IsSet() {
			fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+quietZone, y+quietZone)
		}
	})
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, template.HTMLEscapeString(label), n, n, path.String())), nil
}
