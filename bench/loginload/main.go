// Command loginload sends N sign-ins at once, each from its own loopback address
// and for its own (unknown) e-mail, and prints the statuses.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18080", "server")
	n := flag.Int("n", 100, "parallel sign-ins")
	flag.Parse()
	re := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	type cl struct {
		c     *http.Client
		token string
	}
	cs := make([]cl, *n)
	for i := range cs {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(fmt.Sprintf("127.0.%d.%d", 10+i/200, i%200+1))}}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 5 * time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		r, err := c.Get(*base + "/login")
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		cs[i] = cl{c, re.FindStringSubmatch(string(b))[1]}
	}
	var wg sync.WaitGroup
	st := map[int]int{}
	var mu sync.Mutex
	var total time.Duration
	start := time.Now()
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			f := url.Values{"csrf_token": {c.token}, "email": {fmt.Sprintf("nobody%d@example.vn", i)}, "password": {"wrong password"}}
			r, err := c.c.Post(*base+"/login", "application/x-www-form-urlencoded", strings.NewReader(f.Encode()))
			code := 0
			if err == nil {
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				code = r.StatusCode
			}
			mu.Lock()
			st[code]++
			total += time.Since(t0)
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Printf("statuses %v, wall %.1fs, mean %.2fs/request\n", st, time.Since(start).Seconds(), total.Seconds()/float64(*n))
}
