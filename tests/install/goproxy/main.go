// Command goproxy lays out a Go module proxy in a directory (GOPROXY=file://DIR) that serves
// the repository's root module, github.com/libdcs/libdcs, at one version, so that a test can
// `go get` it as a user gets a release: from a proxy, with no replace directive and nothing
// of the repository on any path.
//
// The module zip is made with golang.org/x/mod/zip, the code the go command and the public
// proxies use, from the files a commit of the working tree carries: `git ls-files` (tracked
// files, and new ones that .gitignore does not exclude) that exist on disk. A plain copy of
// the directory would also take the untracked build trees and the virtual environment.
// Directories with a go.mod of their own (the emulator, the Terraform provider, ...) are
// other modules, and x/mod/zip leaves them out as the go command does.
//
// usage: go run . -repo ROOT -version vX.Y.Z -out DIR
//
// It writes DIR/<module>/@v/{list,vX.Y.Z.info,vX.Y.Z.mod,vX.Y.Z.zip} and prints what the
// zip holds.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

func main() {
	repo := flag.String("repo", "", "root of the repository (holds the module's go.mod)")
	version := flag.String("version", "", "module version to serve, e.g. v1.2.0")
	out := flag.String("out", "", "directory to lay the proxy out in")
	flag.Parse()
	if *repo == "" || *version == "" || *out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*repo, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "goproxy:", err)
		os.Exit(1)
	}
}

func run(repo, version, out string) error {
	goMod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		return err
	}
	path := modfile.ModulePath(goMod)
	if path == "" {
		return fmt.Errorf("%s/go.mod names no module", repo)
	}
	mod := module.Version{Path: path, Version: version}
	// A release version only: a proxy serves canonical semantic versions whose major
	// version agrees with the module path (v0/v1 here, no /vN suffix).
	if err := module.Check(mod.Path, mod.Version); err != nil {
		return err
	}

	files, err := workingTreeFiles(repo)
	if err != nil {
		return err
	}
	checked, err := modzip.CheckFiles(files)
	if err != nil {
		return fmt.Errorf("the module's files cannot make a zip: %w", err)
	}

	escaped, err := module.EscapePath(mod.Path)
	if err != nil {
		return err
	}
	dir := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	zipPath := filepath.Join(dir, version+".zip")
	if err := writeZip(zipPath, mod, files); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, commitTime(repo)})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": info,
		version + ".mod":  goMod,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}

	stat, err := os.Stat(zipPath)
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d files, %d bytes (limit %d); left out as other modules' files: %d\n",
		zipPath, len(checked.Valid), stat.Size(), modzip.MaxZipFile, len(checked.Omitted))
	return nil
}

func writeZip(name string, mod module.Version, files []modzip.File) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
	}()
	return modzip.Create(f, mod, files)
}

// workingTreeFiles lists the files of the working tree that a commit would carry.
func workingTreeFiles(repo string) ([]modzip.File, error) {
	cmd := exec.Command("git", "-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	listing, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var files []modzip.File
	for _, rel := range strings.Split(strings.TrimRight(string(listing), "\x00"), "\x00") {
		if rel == "" {
			continue
		}
		full := filepath.Join(repo, filepath.FromSlash(rel))
		info, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the working tree: the next commit will not carry it
		}
		if err != nil {
			return nil, err
		}
		files = append(files, treeFile{rel: rel, full: full, info: info})
	}
	return files, nil
}

// commitTime is the time of the repository's last commit, so that the same tree gives the
// same .info file; the current time when there is no commit.
func commitTime(repo string) time.Time {
	out, err := exec.Command("git", "-C", repo, "log", "-1", "--format=%cI").Output()
	if err == nil {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(out))); err == nil {
			return t.UTC()
		}
	}
	return time.Now().UTC().Truncate(time.Second)
}

// treeFile is one file of the working tree, as golang.org/x/mod/zip reads it.
type treeFile struct {
	rel, full string
	info      fs.FileInfo
}

func (f treeFile) Path() string                 { return f.rel }
func (f treeFile) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f treeFile) Open() (io.ReadCloser, error) { return os.Open(f.full) }
