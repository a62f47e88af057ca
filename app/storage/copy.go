package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CopyResult counts what Copy did.
type CopyResult struct {
	Total   int   // files in the source
	Copied  int   // sent to the target
	Present int   // already in the target with the same SHA-256: skipped
	Bytes   int64 // bytes copied
	// Failed names each file that could not be copied, with why.
	Failed []string
}

// Done is how many files Copy has dealt with so far.
func (r CopyResult) Done() int { return r.Copied + r.Present + len(r.Failed) }

// Copy copies every file from one store to another under the same key.
// A file already in the target with the source's size and SHA-256 is
// skipped, so a copy that was interrupted resumes where it stopped. The
// source's checksum is checked as it is read and the target checks it
// again before keeping the file. It only reads the source, so a server
// may keep using it meanwhile. A file that fails is reported and the
// copy goes on; the error at the end says how many failed.
func Copy(ctx context.Context, from, to Backend, progress func(CopyResult)) (CopyResult, error) {
	var res CopyResult
	var keys []string
	if err := from.List(ctx, func(key string) error {
		keys = append(keys, key)
		return nil
	}); err != nil {
		return res, fmt.Errorf("list %s: %w", from, err)
	}
	res.Total = len(keys)
	progress(res)
	for _, key := range keys {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		n, err := copyOne(ctx, from, to, key)
		switch {
		case errors.Is(err, errPresent):
			res.Present++
		case errors.Is(err, ErrNotFound):
			res.Total-- // deleted since the listing
		case err != nil:
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Failed = append(res.Failed, key+": "+err.Error())
		default:
			res.Copied++
			res.Bytes += n
		}
		progress(res)
	}
	if len(res.Failed) > 0 {
		return res, fmt.Errorf("%d of %d files not copied:\n  %s", len(res.Failed), res.Total, strings.Join(res.Failed, "\n  "))
	}
	return res, nil
}

var errPresent = errors.New("already present")

func copyOne(ctx context.Context, from, to Backend, key string) (int64, error) {
	size, sum, err := from.Stat(ctx, key)
	if err != nil {
		return 0, err
	}
	if sum == "" {
		return 0, errors.New("the source records no SHA-256 for it")
	}
	if tsize, tsum, err := to.Stat(ctx, key); err == nil && tsize == size && tsum == sum {
		return 0, errPresent
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, fmt.Errorf("target: %w", err)
	}
	rc, err := from.Open(ctx, key)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	if err := to.Import(ctx, key, Verify(rc, size, sum), size, sum); err != nil {
		return 0, err
	}
	return size, nil
}
