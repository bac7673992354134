package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// clientsFrom returns n anonymous clients, each connecting from its own
// loopback address (127.0.<net>.1, .2, ...) and holding a CSRF cookie.
func clientsFrom(env *webtest.Env, net, n int) []*webtest.Client {
	cs := make([]*webtest.Client, n)
	for i := range cs {
		cs[i] = env.AnonymousFrom(fmt.Sprintf("127.0.%d.%d", net, i+1))
		cs[i].CSRF()
	}
	return cs
}

// loginAll posts the login form from every client at once and returns the
// statuses in client order.
func loginAll(cs []*webtest.Client, email func(i int) string, password func(i int) string) []int {
	out := make([]int, len(cs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = c.PostForm("/login", url.Values{"email": {email(i)}, "password": {password(i)}}).Status
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func countStatus(statuses []int, want int) int {
	n := 0
	for _, s := range statuses {
		if s == want {
			n++
		}
	}
	return n
}

// Issue 16, attack 3: the limit was checked in one transaction and the
// failure written in another, so 40 wrong passwords sent at once were all
// tried. From 40 addresses (so only the account's limit applies), at most
// 5 reach password verification.
func TestParallelWrongPasswordsThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// A long wait for a hashing slot: no attempt is refused as "busy".
		env := webtest.NewWith(t, db, app.WithHashSlots(2, time.Minute))
		u := env.CreateUser(nipp.RoleProvincial, "01")
		cs := clientsFrom(env, 1, 40)
		before := env.App.PasswordHashStats().Runs
		st := loginAll(cs, func(int) string { return u.Email }, func(i int) string { return fmt.Sprintf("wrong guess %d", i) })
		verified := env.App.PasswordHashStats().Runs - before
		if verified != app.MaxAccountFailures || countStatus(st, http.StatusUnauthorized) != int(verified) ||
			countStatus(st, http.StatusTooManyRequests) != len(cs)-int(verified) {
			t.Errorf("%d passwords verified (want %d), statuses %v", verified, app.MaxAccountFailures, st)
		}
		// The account is now locked, for the right password too.
		r := env.AnonymousFrom("127.0.2.1").PostForm("/login", url.Values{"email": {u.Email}, "password": {webtest.Password}})
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("right password after the limit: %d", r.Status)
		}
	})
}

// A right password sent with 39 wrong ones, once the limit is hit by
// attempts still being verified, does not sign in: the attempts were
// counted before their passwords were checked.
func TestRightPasswordAmongWrongOnesRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var hold atomic.Bool
		entered := make(chan struct{}, 100)
		release := make(chan struct{})
		env := webtest.NewWith(t, db, app.WithHashSlots(8, 30*time.Second), app.WithHashHook(func() {
			if hold.Load() {
				entered <- struct{}{}
				<-release
			}
		}))
		var once sync.Once
		free := func() { once.Do(func() { close(release) }) }
		t.Cleanup(free)
		u := env.CreateUser(nipp.RoleProvincial, "01")
		cs := clientsFrom(env, 3, 40)
		hold.Store(true)
		results := make(chan int, 40)
		for _, c := range cs[:39] {
			go func() {
				results <- c.PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong guess"}}).Status
			}()
		}
		// Five attempts reach verification and are held there; the other
		// 34 are refused without a password check.
		for i := 0; i < app.MaxAccountFailures; i++ {
			select {
			case <-entered:
			case <-time.After(20 * time.Second):
				t.Fatalf("only %d attempts reached verification", i)
			}
		}
		for i := 0; i < 39-app.MaxAccountFailures; i++ {
			select {
			case s := <-results:
				if s != http.StatusTooManyRequests {
					t.Errorf("wrong password beyond the limit: %d, want 429", s)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%d wrong passwords beyond the limit are being verified (%d answered)", 39-app.MaxAccountFailures-i, i)
			}
		}
		// Now the right password, while the five are still in verification.
		done := make(chan int, 1)
		go func() {
			done <- cs[39].PostForm("/login", url.Values{"email": {u.Email}, "password": {webtest.Password}}).Status
		}()
		select {
		case s := <-done:
			if s != http.StatusTooManyRequests {
				t.Errorf("right password once the limit is hit: %d, want 429", s)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("the right password went to verification although the limit was hit")
		}
		hold.Store(false)
		free()
		for i := 0; i < app.MaxAccountFailures; i++ {
			if s := <-results; s != http.StatusUnauthorized {
				t.Errorf("verified wrong password: %d, want 401", s)
			}
		}
		// Another account from the same addresses still signs in: the
		// refusal was the account's limit.
		other := env.CreateUser(nipp.RoleProvincial, "01")
		cs[39].Login(other.Email, webtest.Password)
	})
}

// Hashing runs under a small concurrency limit: 30 sign-ins at once never
// run more than the limit's argon2id computations together; a caller that
// cannot get a slot in time gets 429, and that attempt is not counted.
func TestPasswordHashingBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// The hook makes each computation last long enough to overlap.
		env := webtest.NewWith(t, db, app.WithHashSlots(2, time.Minute), app.WithHashHook(func() { time.Sleep(30 * time.Millisecond) }))
		cs := clientsFrom(env, 4, 30)
		st := loginAll(cs, func(i int) string { return fmt.Sprintf("nobody%d@test.nipp", i) }, func(int) string { return "wrong" })
		hs := env.App.PasswordHashStats()
		if hs.Peak != 2 || countStatus(st, http.StatusUnauthorized) != 30 {
			t.Errorf("peak %d concurrent hashes (limit 2), statuses %v", hs.Peak, st)
		}

		busy := webtest.NewWith(t, db, app.WithHashSlots(1, 100*time.Millisecond), app.WithHashHook(func() { time.Sleep(time.Second) }))
		u := busy.CreateUser(nipp.RoleProvincial, "01")
		cs = clientsFrom(busy, 5, 3)
		st = loginAll(cs, func(int) string { return u.Email }, func(int) string { return "wrong" })
		if countStatus(st, http.StatusUnauthorized) != 1 || countStatus(st, http.StatusTooManyRequests) != 2 {
			t.Errorf("one slot, three at once: statuses %v, want one 401 and two 429", st)
		}
		// Only the checked attempt counted: four more failures are allowed
		// before the account is locked.
		c := busy.AnonymousFrom("127.0.6.1")
		for i := 0; i < app.MaxAccountFailures-1; i++ {
			if r := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong"}}); r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+2, r.Status)
			}
		}
		if r := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong"}}); r.Status != http.StatusTooManyRequests {
			t.Errorf("sixth attempt: %d, want 429", r.Status)
		}
	})
}
