package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// MaxAttachmentSize is the largest file a project accepts.
const MaxAttachmentSize = 20 << 20

// attachmentTypes maps allowed extensions to the content type the file's
// first bytes must sniff as, and the type it is served with.
var attachmentTypes = map[string][2]string{
	".pdf":  {"application/pdf", "application/pdf"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".png":  {"image/png", "image/png"},
}

func badType(name string) error {
	return nipp.FieldError("file", "err.app.not_allowed_file_type_pdf", name)
}

// AddAttachment stores a file for a project the principal may change. The
// type is checked by extension and by content; the content is stored once,
// named by its SHA-256, under the files folder.
func (a *App) AddAttachment(ctx context.Context, publicID, kind, filename string, r io.Reader) (_ *nipp.Attachment, err error) {
	defer nipp.Wrap(&err, "app.AddAttachment(%q, %q, %q)", publicID, kind, filename)
	p, err := authorize(ctx, nipp.PermProjectWrite)
	if err != nil {
		return nil, err
	}
	if a.filesDir == "" {
		return nil, nipp.Errorf(nipp.EINVALID, "err.app.server_has_no_files_folder")
	}
	if err := nipp.CheckTexts(nipp.TextField{Name: "kind", Value: kind, Max: nipp.MaxCodeLen}, nipp.TextField{Name: "file", Value: filename, Max: nipp.MaxNameLen}); err != nil {
		return nil, err
	}
	// The project first (one answer for "not found" and "not yours"), then
	// the kind and the file. The file is copied and hashed before the write
	// transaction, so that file I/O never holds the writer (and a retried
	// transaction does not read the upload twice).
	if err := a.read(ctx, func(tx *store.Tx) error {
		_, err := loadProjectForWrite(ctx, tx, p, publicID)
		return err
	}); err != nil {
		return nil, err
	}
	if !slices.Contains(nipp.AttachmentKinds(), kind) {
		return nil, nipp.FieldError("kind", "err.app.invalid_document_kind")
	}
	filename = filepath.Base(strings.ReplaceAll(strings.TrimSpace(filename), "\\", "/"))
	if filename == "" || filename == "." || filename == "/" || len(filename) > 200 {
		return nil, nipp.FieldError("file", "err.app.choose_file_valid_name")
	}
	types, ok := attachmentTypes[strings.ToLower(filepath.Ext(filename))]
	if !ok {
		return nil, badType(filename)
	}
	stored := &nipp.Attachment{Kind: kind, Filename: filename, ContentType: types[1]}
	if err := a.storeFile(r, types[0], filename, stored); err != nil {
		return nil, err
	}
	var att *nipp.Attachment
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		proj, err := loadProjectForWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		a2 := *stored // a retried transaction starts again from the stored file
		att = &a2
		if err := tx.CreateAttachment(ctx, proj.ID, att, p.UserID); err != nil {
			return err
		}
		att.UploadedBy = p.Email
		return a.record(ctx, tx, nipp.ActionCreate, "attachment", strconv.FormatInt(att.ID, 10), nil,
			map[string]any{"project": publicID, "kind": kind, "filename": filename, "size": att.Size, "sha256": att.SHA256})
	})
	if err != nil {
		return nil, err
	}
	return att, nil
}

// storeFile copies r to a temporary file while hashing it, checks its size
// and sniffed type, and moves it to its content address.
func (a *App) storeFile(r io.Reader, sniffAs, filename string, att *nipp.Attachment) error {
	tmpDir := filepath.Join(a.filesDir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return nipp.Internal(err)
	}
	f, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return nipp.Internal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nipp.Internal(err)
	}
	head = head[:n]
	if n == 0 {
		return nipp.FieldError("file", "err.app.file_empty")
	}
	if got := http.DetectContentType(head); got != sniffAs {
		return badType(filename)
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	if _, err := w.Write(head); err != nil {
		return nipp.Internal(err)
	}
	size, err := io.Copy(w, io.LimitReader(r, MaxAttachmentSize+1-int64(n)))
	if err != nil {
		return nipp.Internal(err)
	}
	size += int64(n)
	if size > MaxAttachmentSize {
		return nipp.FieldError("file", "err.app.file_larger_than_mb", MaxAttachmentSize>>20)
	}
	if err := f.Close(); err != nil {
		return nipp.Internal(err)
	}
	att.Size = size
	att.SHA256 = hex.EncodeToString(h.Sum(nil))
	dst := a.blobPath(att.SHA256)
	if _, err := os.Stat(dst); err == nil {
		return nil // the same content is already stored
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return nipp.Internal(err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return nipp.Internal(err)
	}
	return nil
}

func (a *App) blobPath(sum string) string {
	return filepath.Join(a.filesDir, sum[:2], sum)
}

// OpenAttachment returns an attachment of a project the principal may see,
// and its content; the caller closes it.
func (a *App) OpenAttachment(ctx context.Context, publicID string, id int64) (_ *nipp.Attachment, _ *os.File, err error) {
	defer nipp.Wrap(&err, "app.OpenAttachment(%q, %v)", publicID, id)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, nil, err
	}
	var att *nipp.Attachment
	err = a.read(ctx, func(tx *store.Tx) error {
		proj, err := loadProject(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		att, err = tx.FindAttachmentByID(ctx, proj.ID, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if len(att.SHA256) != 64 || a.filesDir == "" {
		return nil, nil, nipp.Errorf(nipp.ENOTFOUND, "err.app.file_not_found")
	}
	f, err := os.Open(a.blobPath(att.SHA256))
	if err != nil {
		return nil, nil, nipp.Errorf(nipp.ENOTFOUND, "err.app.file_s_content_missing")
	}
	return att, f, nil
}
