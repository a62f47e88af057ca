package storage

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/encrypt"
)

// S3Config is an S3-compatible bucket, as RAMPART_STORAGE_URL gives it.
type S3Config struct {
	Bucket string
	Prefix string // "" or ending in "/"
	// Endpoint is the server's URL (default: AWS, https://s3.amazonaws.com).
	Endpoint  string
	Region    string
	PathStyle bool
	// SSE asks the server to encrypt objects: "" (the bucket's default),
	// "AES256" (keys the server manages) or "aws:kms" (with KMSKeyID).
	SSE      string
	KMSKeyID string
	// PartSize is the multipart upload's part size; files above it go up
	// in parts.
	PartSize uint64
	// AccessKeyID and SecretAccessKey, when set, win over the standard
	// AWS environment variables, the shared credentials file and an
	// instance's role, tried in that order.
	AccessKeyID, SecretAccessKey string
	// SpoolDir holds an upload while its size and SHA-256 are taken,
	// before it goes to the bucket (default: the system's temporary folder).
	SpoolDir string
}

// DefaultPartSize keeps a 25 MiB upload to two parts and memory use low.
const DefaultPartSize = 16 << 20

// ParseS3URL reads s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true&sse=AES256|aws:kms&sse_kms_key_id=ID&part_size=BYTES.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		return S3Config{}, errors.New("must be s3://BUCKET/PREFIX with parameters such as endpoint and region")
	}
	if u.User != nil {
		return S3Config{}, errors.New("credentials do not belong in the URL: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	c := S3Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/"), PartSize: DefaultPartSize}
	if c.Bucket == "" {
		return c, errors.New("names no bucket: s3://BUCKET/PREFIX")
	}
	if c.Prefix != "" {
		c.Prefix += "/"
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "endpoint", "region", "path_style", "sse", "sse_kms_key_id", "part_size":
		default:
			return c, fmt.Errorf("unknown parameter %q (known: endpoint, region, path_style, sse, sse_kms_key_id, part_size)", k)
		}
	}
	c.Endpoint = q.Get("endpoint")
	if c.Endpoint != "" {
		e, err := url.Parse(c.Endpoint)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || (e.Path != "" && e.Path != "/") {
			return c, errors.New("endpoint must be http://HOST[:PORT] or https://HOST[:PORT]")
		}
	}
	c.Region = q.Get("region")
	if v := q.Get("path_style"); v != "" {
		if c.PathStyle, err = strconv.ParseBool(v); err != nil {
			return c, errors.New("path_style must be true or false")
		}
	}
	c.SSE = q.Get("sse")
	c.KMSKeyID = q.Get("sse_kms_key_id")
	switch {
	case c.SSE != "" && c.SSE != "AES256" && c.SSE != "aws:kms":
		return c, errors.New("sse must be AES256 or aws:kms")
	case c.SSE == "aws:kms" && c.KMSKeyID == "":
		return c, errors.New("sse=aws:kms needs sse_kms_key_id")
	}
	if v := q.Get("part_size"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n < 5<<20 || n > 5<<30 {
			return c, errors.New("part_size must be between 5242880 (5 MiB) and 5 GiB, in bytes")
		}
		c.PartSize = n
	}
	return c, nil
}

// S3 stores files as objects in a bucket, each with its SHA-256 in the
// object's metadata (x-amz-meta-sha256).
type S3 struct {
	cfg    S3Config
	client *minio.Client
	sse    encrypt.ServerSide
}

// NewS3 connects lazily: the first request reaches the server (see Check).
func NewS3(c S3Config) (*S3, error) {
	endpoint, secure := "s3.amazonaws.com", true
	if c.Endpoint != "" {
		e, _ := url.Parse(c.Endpoint)
		endpoint, secure = e.Host, e.Scheme == "https"
	}
	var chain []credentials.Provider
	if c.AccessKeyID != "" || c.SecretAccessKey != "" {
		chain = append(chain, &credentials.Static{Value: credentials.Value{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SignerType: credentials.SignatureV4}})
	}
	chain = append(chain, &credentials.EnvAWS{}, &credentials.FileAWSCredentials{}, &credentials.IAM{})
	lookup := minio.BucketLookupAuto
	if c.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds: credentials.NewChainCredentials(chain), Secure: secure, Region: c.Region, BucketLookup: lookup,
	})
	if err != nil {
		return nil, err
	}
	s := &S3{cfg: c, client: client}
	switch c.SSE {
	case "AES256":
		s.sse = encrypt.NewSSE()
	case "aws:kms":
		if s.sse, err = encrypt.NewSSEKMS(c.KMSKeyID, nil); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *S3) String() string {
	return "bucket s3://" + s.cfg.Bucket + "/" + s.cfg.Prefix
}

// Check reaches the server and the bucket, so that a wrong endpoint,
// bucket or credentials stop the server at start, in one line.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.cfg.Bucket)
	if err != nil {
		return fmt.Errorf("%s: %w", s, err)
	}
	if !ok {
		return fmt.Errorf("%s: the bucket does not exist", s)
	}
	return nil
}

func (s *S3) object(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", ErrNotFound
	}
	return s.cfg.Prefix + key, nil
}

// Put spools the upload to a local temporary file first: the size limit
// and the SHA-256 are known before anything reaches the bucket, and the
// upload can be retried (and sent in parts) from a seekable file.
func (s *S3) Put(ctx context.Context, r io.Reader, limit int64) (string, int64, string, error) {
	key, err := newKey()
	if err != nil {
		return "", 0, "", err
	}
	f, n, sum, err := s.spool(ctx, r, limit)
	if err != nil {
		return "", 0, "", err
	}
	defer removeSpool(f)
	if err := s.upload(ctx, key, f, n, sum); err != nil {
		return "", 0, "", err
	}
	return key, n, sum, nil
}

// Import stores a file another store holds under the same key.
func (s *S3) Import(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	if _, err := s.object(key); err != nil {
		return err
	}
	f, n, got, err := s.spool(ctx, r, size)
	if err != nil {
		return err
	}
	defer removeSpool(f)
	if n != size || got != sum {
		return ErrChecksum
	}
	return s.upload(ctx, key, f, n, sum)
}

func (s *S3) spool(ctx context.Context, r io.Reader, limit int64) (*os.File, int64, string, error) {
	dir := s.cfg.SpoolDir
	if dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, 0, "", err
		}
	}
	f, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(readerCtx{ctx, r}, limit+1))
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		removeSpool(f)
		return nil, 0, "", err
	}
	return f, n, hex.EncodeToString(h.Sum(nil)), nil
}

func removeSpool(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// upload sends the spooled file with its SHA-256 for the server to check
// (x-amz-checksum-sha256, per part when in parts), and checks what the
// server reports having stored.
func (s *S3) upload(ctx context.Context, key string, f *os.File, size int64, sum string) error {
	name, _ := s.object(key)
	info, err := s.client.PutObject(ctx, s.cfg.Bucket, name, f, size, minio.PutObjectOptions{
		ContentType:          "application/octet-stream",
		UserMetadata:         map[string]string{"sha256": sum},
		ServerSideEncryption: s.sse,
		PartSize:             s.cfg.PartSize,
		SendContentMd5:       true,
	})
	if err != nil {
		return fmt.Errorf("store file in %s: %w", s, err)
	}
	bad := info.Size != size
	if c := info.ChecksumSHA256; c != "" && !strings.Contains(c, "-") && size <= int64(s.cfg.PartSize) {
		raw, _ := hex.DecodeString(sum)
		bad = bad || c != base64.StdEncoding.EncodeToString(raw)
	}
	if bad {
		_ = s.client.RemoveObject(context.WithoutCancel(ctx), s.cfg.Bucket, name, minio.RemoveObjectOptions{})
		return fmt.Errorf("store file in %s: %w (the server stored %d bytes of %d)", s, ErrChecksum, info.Size, size)
	}
	return nil
}

func notFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == "NoSuchKey" || code == "NotFound"
}

// Open streams the object; reading it to the end checks its size and the
// SHA-256 recorded at upload (a damaged object fails with ErrChecksum).
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if notFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return Verify(obj, st.Size, metaSum(st)), nil
}

func metaSum(st minio.ObjectInfo) string {
	for k, v := range st.UserMetadata {
		if strings.EqualFold(k, "sha256") || strings.EqualFold(k, "x-amz-meta-sha256") {
			return v
		}
	}
	return ""
}

// Stat reads the size and the SHA-256 recorded at upload, without the content.
func (s *S3) Stat(ctx context.Context, key string) (int64, string, error) {
	name, err := s.object(key)
	if err != nil {
		return 0, "", err
	}
	st, err := s.client.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
	if notFound(err) {
		return 0, "", ErrNotFound
	} else if err != nil {
		return 0, "", err
	}
	return st.Size, metaSum(st), nil
}

// Delete removes the object; a missing object is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	err = s.client.RemoveObject(ctx, s.cfg.Bucket, name, minio.RemoveObjectOptions{})
	if notFound(err) {
		return nil
	}
	return err
}

// objects lists the objects under the prefix named as Put names them.
func (s *S3) objects(ctx context.Context, fn func(key string, modified time.Time) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing when fn fails
	for o := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.cfg.Prefix, Recursive: true}) {
		if o.Err != nil {
			return o.Err
		}
		key, ok := strings.CutPrefix(o.Key, s.cfg.Prefix)
		if !ok || !keyPattern.MatchString(key) {
			continue // not ours
		}
		if err := fn(key, o.LastModified); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// List lists every stored object.
func (s *S3) List(ctx context.Context, fn func(key string) error) error {
	return s.objects(ctx, func(key string, _ time.Time) error { return fn(key) })
}

// Sweep is Local.Sweep for a bucket: interrupted uploads are multipart
// uploads never completed (which the bucket keeps, and bills, until
// aborted) and spooled files left by a crash; orphans are objects.
func (s *S3) Sweep(ctx context.Context, now time.Time, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (SweepResult, error) {
	var res SweepResult
	for u := range s.client.ListIncompleteUploads(ctx, s.cfg.Bucket, s.cfg.Prefix, true) {
		if u.Err != nil {
			return res, u.Err
		}
		key, _ := strings.CutPrefix(u.Key, s.cfg.Prefix)
		if keyPattern.MatchString(key) && now.Sub(u.Initiated) > TempAge {
			if err := s.client.RemoveIncompleteUpload(ctx, s.cfg.Bucket, u.Key); err != nil {
				return res, err
			}
			res.Temp++
		}
	}
	if s.cfg.SpoolDir != "" {
		entries, err := os.ReadDir(s.cfg.SpoolDir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, err
		}
		for _, e := range entries {
			info, err := e.Info()
			if err == nil && e.Type().IsRegular() && strings.HasPrefix(e.Name(), ".upload-") && now.Sub(info.ModTime()) > TempAge &&
				os.Remove(filepath.Join(s.cfg.SpoolDir, e.Name())) == nil {
				res.Temp++
			}
		}
	}
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		used, err := referenced(ctx, batch)
		if err != nil {
			return err
		}
		for _, key := range batch {
			if used[key] {
				continue
			}
			name, _ := s.object(key)
			if err := s.client.RemoveObject(ctx, s.cfg.Bucket, name, minio.RemoveObjectOptions{}); err != nil && !notFound(err) {
				return err
			}
			res.Orphans++
		}
		batch = batch[:0]
		return nil
	}
	err := s.objects(ctx, func(key string, modified time.Time) error {
		if now.Sub(modified) <= OrphanGrace {
			return nil
		}
		batch = append(batch, key)
		if len(batch) == 500 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	return res, flush()
}
