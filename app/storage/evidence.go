package storage

import (
	"context"
	"errors"
	"io"
	"strconv"

	"rampart/models"
)

// Stored is an accepted upload, in the store.
type Stored struct {
	Type, Key, Sha256 string
	Size              int64
}

// PutEvidence takes an upload of the kinds Evidence accepts: it detects
// the type from the content, refuses an empty file, another type or one
// over limit bytes in words that name the file (422 on "file"), and stores
// the rest. Attachments, portal evidence and finding evidence all come
// through here, so they are refused alike.
func PutEvidence(ctx context.Context, files Store, name string, body io.Reader, limit int64) (Stored, error) {
	refuse := Refusal{Name: name, Accepted: EvidenceKinds}
	typ, rest, err := Sniff(body)
	if err != nil {
		return Stored{}, err
	}
	if typ == "" || typ == "application/x-empty" {
		return Stored{}, models.Invalid("file", refuse.Empty())
	}
	if _, ok := Evidence[typ]; !ok {
		return Stored{}, models.Invalid("file", refuse.WrongType(typ))
	}
	key, size, sum, err := files.Put(ctx, rest, limit)
	if errors.Is(err, ErrTooLarge) {
		return Stored{}, models.Invalid("file", refuse.TooLarge(strconv.FormatInt(limit>>20, 10)+" MB"))
	} else if err != nil {
		return Stored{}, err
	}
	return Stored{Type: typ, Key: key, Sha256: sum, Size: size}, nil
}
