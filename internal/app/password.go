package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"nipp/internal/nipp"
)

// Every argon2id computation holds argonMemory (32 MiB) while it runs, so
// they run under a small concurrency limit (hashGate): a flood of sign-ins
// queues for a slot instead of taking the server's memory. A caller that
// waits longer than HashWait gets ETOOMANY (429, "busy").
const HashWait = 2 * time.Second

// DefaultHashSlots is how many argon2id computations run at once: the
// number of CPUs, at least 2 and at most 4 (128 MiB).
func DefaultHashSlots() int { return min(max(runtime.GOMAXPROCS(0), 2), 4) }

// hashGate is a counting semaphore for argon2id, with counters for tests
// and operators: computations run, and the most seen at once.
type hashGate struct {
	slots    chan struct{}
	wait     time.Duration
	hook     func() // test hook, called inside the slot before hashing
	inFlight atomic.Int64
	peak     atomic.Int64
	runs     atomic.Int64
}

func newHashGate(slots int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, max(slots, 1)), wait: wait}
}

func errBusy() error {
	return nipp.Errorf(nipp.ETOOMANY, "err.app.server_busy")
}

// do runs fn in a slot, waiting at most g.wait for one.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return errBusy()
	case <-ctx.Done():
		return errBusy()
	}
	defer func() { <-g.slots }()
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	g.runs.Add(1)
	if g.hook != nil {
		g.hook()
	}
	fn()
	return nil
}

// HashStats are the password hashing counters: argon2id computations run
// (hashes and checks) and the most that ran at once.
type HashStats struct {
	Runs, Peak int64
	Slots      int
}

// PasswordHashStats returns the password hashing counters.
func (a *App) PasswordHashStats() HashStats {
	return HashStats{Runs: a.hashes.runs.Load(), Peak: a.hashes.peak.Load(), Slots: cap(a.hashes.slots)}
}

// WithHashSlots sets how many argon2id computations may run at once and
// how long a caller waits for a slot (default DefaultHashSlots, HashWait).
func WithHashSlots(slots int, wait time.Duration) Option {
	return func(a *App) { a.hashes = newHashGate(slots, wait) }
}

// WithHashHook sets a function called inside a hashing slot before each
// argon2id computation; tests use it to hold sign-ins in verification.
func WithHashHook(fn func()) Option { return func(a *App) { a.hashHook = fn } }

// hashPassword hashes pw under the concurrency limit.
func (a *App) hashPassword(ctx context.Context, pw string) (hash string, err error) {
	gerr := a.hashes.do(ctx, func() { hash, err = hashPassword(pw) })
	if gerr != nil {
		return "", gerr
	}
	return hash, err
}

// checkPassword checks pw against encoded under the concurrency limit; the
// error is ETOOMANY when no slot freed up in time.
func (a *App) checkPassword(ctx context.Context, encoded, pw string) (ok bool, err error) {
	err = a.hashes.do(ctx, func() { ok = checkPassword(encoded, pw) })
	return ok, err
}

// argon2id parameters (OWASP: m=19 MiB, t=2, p=1 is the floor; we use more memory).
const (
	argonTime    = 2
	argonMemory  = 32 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns an encoded argon2id hash with a random salt.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword reports whether pw matches the encoded hash.
func checkPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the account does not exist, so a login
// takes the same time whether or not the e-mail is known.
const dummyHash = "$argon2id$v=19$m=32768,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$pKcbQ0cUmBfhQ3CwZdsMpvmW1FhA1SJQbMe5K5WVJk0"

// randomToken returns n random bytes, URL-safe base64 encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oneTimePassword returns a readable random password.
func oneTimePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:])
}
