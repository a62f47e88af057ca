package storage

import (
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/gabriel-vasile/mimetype"
)

// Evidence lists the file types accepted as attachments and evidence, by
// the type detected from the content (never the name or the client's
// Content-Type).
var Evidence = map[string]string{
	"application/pdf": "PDF",
	"image/png":       "PNG image",
	"image/jpeg":      "JPEG image",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document (.docx)",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       "Excel workbook (.xlsx)",
	"text/plain": "text file",
	"text/csv":   "CSV file",
}

// Sniff detects a file's type from its first bytes and returns it with a
// reader that replays those bytes followed by the rest.
func Sniff(r io.Reader) (string, io.Reader, error) {
	head := make([]byte, 8192)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", nil, err
	}
	head = head[:n]
	if n == 0 {
		return "", strings.NewReader(""), nil
	}
	mt := mimetype.Detect(head)
	t := mt.String()
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t, io.MultiReader(strings.NewReader(string(head)), r), nil
}

// EvidenceKinds says in plain words what Evidence accepts, for refusals.
const EvidenceKinds = "a PDF, Word, Excel, image (PNG or JPEG), text or CSV file"

// Refusal words why an upload is refused, naming the file and, for a
// wrong type, what it is and what to upload instead, so a person can act
// on it ("setup.exe is a Windows program; upload a PDF, Word, ... file").
// Every upload refusal goes through it so they read alike.
type Refusal struct {
	Name string // the uploaded file's name, as given
	// Accepted says what to upload instead: EvidenceKinds or the
	// endpoint's own words.
	Accepted string
}

// WrongType refuses a file whose detected type (Sniff) is not accepted.
func (r Refusal) WrongType(typ string) string {
	return r.name() + " is " + Describe(typ) + "; upload " + r.Accepted
}

// Empty refuses a file without content.
func (r Refusal) Empty() string {
	return r.name() + " is empty; upload " + r.Accepted
}

// TooLarge refuses a file over limit (in words, e.g. "25 MB").
func (r Refusal) TooLarge(limit string) string {
	return r.name() + " is larger than " + limit + "; upload a smaller file"
}

func (r Refusal) name() string {
	if n := CleanName(r.Name); n != "file" {
		return n
	}
	return "The file"
}

// kinds names detected types in words people use. Types not here read by
// their family (an image, a video) or as a kind Rampart does not accept,
// never as a MIME type.
var kinds = map[string]string{
	"application/vnd.microsoft.portable-executable": "a Windows program",
	"application/x-ms-installer":                    "a Windows installer",
	"application/x-installshield":                   "a Windows installer",
	"application/x-ms-shortcut":                     "a Windows shortcut",
	"application/x-elf":                             "a program",
	"application/x-executable":                      "a program",
	"application/x-sharedlib":                       "a program library",
	"application/x-mach-binary":                     "a Mac program",
	"application/x-object":                          "a compiled program file",
	"application/vnd.android.package-archive":       "an Android app",
	"application/java-archive":                      "a Java program",
	"application/x-java-applet":                     "a Java program",
	"application/wasm":                              "a WebAssembly program",
	"application/vnd.debian.binary-package":         "a software package",
	"application/x-rpm":                             "a software package",
	"application/zip":                               "a ZIP archive",
	"application/vnd.rar":                           "a RAR archive",
	"application/x-7z-compressed":                   "a 7-Zip archive",
	"application/gzip":                              "a compressed archive",
	"application/x-xz":                              "a compressed archive",
	"application/x-bzip2":                           "a compressed archive",
	"application/zstd":                              "a compressed archive",
	"application/x-tar":                             "a TAR archive",
	"application/vnd.ms-cab-compressed":             "a compressed archive",
	"text/html":                                     "a web page (HTML)",
	"application/xhtml+xml":                         "a web page (XHTML)",
	"image/svg+xml":                                 "an SVG image",
	"text/javascript":                               "a script",
	"text/x-shellscript":                            "a script",
	"text/x-python":                                 "a script",
	"text/x-php":                                    "a script",
	"text/x-perl":                                   "a script",
	"text/x-ruby":                                   "a script",
	"text/x-lua":                                    "a script",
	"text/x-tcl":                                    "a script",
	"application/msword":                            "an old Word document (.doc)",
	"application/vnd.ms-excel":                      "an old Excel workbook (.xls)",
	"application/vnd.ms-powerpoint":                 "a PowerPoint presentation",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "a PowerPoint presentation",
	"application/x-ole-storage":                      "an old Office document",
	"application/vnd.ms-outlook":                     "an Outlook message",
	"message/rfc822":                                 "an email message",
	"application/vnd.oasis.opendocument.text":        "an OpenDocument text",
	"application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet",
	"text/rtf":                 "a rich text document (RTF)",
	"application/json":         "a JSON file",
	"text/xml":                 "an XML file",
	"application/postscript":   "a PostScript file",
	"application/vnd.sqlite3":  "a database file",
	"application/octet-stream": "a file of unknown type",
}

// Describe names a detected type in plain words, with its article.
func Describe(typ string) string {
	if k, ok := kinds[typ]; ok {
		return k
	}
	if k, ok := Evidence[typ]; ok {
		return article(k)
	}
	family, sub, _ := strings.Cut(typ, "/")
	sub = strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(sub, "x-"), "vnd."))
	switch family {
	case "image":
		return "an image (" + sub + ")"
	case "video":
		return "a video"
	case "audio":
		return "a sound file"
	case "font":
		return "a font"
	case "text":
		return "a text format Rampart does not accept"
	}
	return "a kind of file Rampart does not accept"
}

func article(s string) string {
	if strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// CleanName makes an uploaded file name safe to store and show: the last
// path element, without control characters or bidirectional controls, at
// most 150 characters.
func CleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || isBidiControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 150 {
		name = string(r[:150])
	}
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	return name
}

// isBidiControl reports the characters that reorder the text around them
// (embeddings, overrides, isolates and marks), with which a name such as
// "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') || r == '\u200E' || r == '\u200F' || r == '\u061C'
}
