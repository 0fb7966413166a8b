// nomfln-server.go - tiny HTTPS file server for the otaprobe TLS lab.
//
// Go's crypto/tls does not implement the TLS max_fragment_length extension
// (RFC 6066): it silently ignores it and always sends records with up to
// 16 KiB of plaintext. That makes this server the reference "server that
// ignores MFLN" for clients with small receive buffers (e.g. an ESP8266
// BearSSL client with setBufferSizes(512, 512)).
//
// Standard library only (works with Go 1.19):
//
//	go run nomfln-server.go -cert chain.pem -key key.pem -file fw.bin \
//	    [-addr 127.0.0.1:0] [-portfile PATH] [-lifetime 120]
//
// Serves FILE at every path with Content-Length and
// Content-Type: application/octet-stream. TLS 1.0 .. 1.2 only.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	certFile := flag.String("cert", "", "PEM certificate chain (leaf first)")
	keyFile := flag.String("key", "", "PEM private key")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	file := flag.String("file", "", "file to serve at any path")
	portFile := flag.String("portfile", "", "write the chosen port number to this path once listening")
	lifetime := flag.Int("lifetime", 120, "exit after this many seconds")
	flag.Parse()

	if *certFile == "" || *keyFile == "" || *file == "" {
		flag.Usage()
		os.Exit(2)
	}

	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("load key pair: %v", err)
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatalf("read file: %v", err)
	}

	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS10,
		MaxVersion:   tls.VersionTLS12,
		// No HTTP/2: plain HTTP/1.1 like a typical firmware host.
		NextProtos: []string{"http/1.1"},
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if *portFile != "" {
		tmp := *portFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
			log.Fatalf("write portfile: %v", err)
		}
		if err := os.Rename(tmp, *portFile); err != nil {
			log.Fatalf("rename portfile: %v", err)
		}
	}
	fmt.Fprintf(os.Stderr, "nomfln-server: listening on 127.0.0.1:%d for %ds\n", port, *lifetime)

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	})
	srv := &http.Server{
		Handler:      handler,
		TLSConfig:    cfg,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		ErrorLog:     log.New(os.Stderr, "nomfln-server: ", 0),
	}

	time.AfterFunc(time.Duration(*lifetime)*time.Second, func() {
		fmt.Fprintln(os.Stderr, "nomfln-server: lifetime reached, exiting")
		os.Exit(0)
	})

	if err := srv.Serve(tls.NewListener(ln, cfg)); err != nil && err != http.ErrServerClosed {
		log.Fatalf("serve: %v", err)
	}
}
