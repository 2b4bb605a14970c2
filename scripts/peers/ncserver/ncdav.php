<?php
// Nextcloud-flavoured SabreDAV 1.8 backend: real-FS tree with
//  - propagated, random ETags for files AND directories (stored in META_DIR/<inode>)
//  - oc:fileid = inode (stable across rename/overwrite), oc:id, oc:permissions, oc:size, ...
//  - X-OC-Mtime honoured on PUT, OC-ETag / OC-FileId / X-OC-MTime response headers
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE);
ini_set('display_errors', '0');
require_once 'Sabre/autoload.php';

use Sabre\DAV;

const NC_INSTANCE = 'ocbench0001';
const NS_OC = 'http://owncloud.org/ns';
const NS_NC = 'http://nextcloud.org/ns';

class Meta {
    static $root;   // absolute path of the user's files root
    static $dir;    // metadata dir

    static function init($root, $metaDir) {
        self::$root = rtrim($root, '/');
        self::$dir = $metaDir;
        @mkdir(self::$root, 0777, true);
        @mkdir(self::$dir, 0777, true);
    }
    static function etag($path, $st = null) {
        clearstatcache(true, $path);
        $st = $st ?: @stat($path);
        if (!$st) return null;
        $size = is_dir($path) ? 0 : $st['size'];
        $m = @file_get_contents(self::$dir . '/' . $st['ino']);
        if ($m !== false) {
            $p = explode(' ', $m);
            if (count($p) == 3 && (int)$p[1] == $st['mtime'] && (int)$p[2] == $size) return $p[0];
        }
        // changed out of band (or never touched by the server): derive from stat
        return substr(md5($st['ino'] . ':' . $st['mtime'] . ':' . $size . ':' . $st['ctime']), 0, 16);
    }
    static function set($path) {
        clearstatcache(true, $path);
        $st = @stat($path);
        if (!$st) return;
        $size = is_dir($path) ? 0 : $st['size'];
        $tmp = self::$dir . '/.tmp.' . getmypid();
        file_put_contents($tmp, bin2hex(random_bytes(8)) . ' ' . $st['mtime'] . ' ' . $size);
        rename($tmp, self::$dir . '/' . $st['ino']);
    }
    // new etag for $path (if it exists) and every ancestor up to the root
    static function bump($path) {
        $path = rtrim($path, '/');
        while (true) {
            if (file_exists($path)) self::set($path);
            if (strlen($path) <= strlen(self::$root)) break;
            $path = dirname($path);
        }
    }
    static function fileId($path) { clearstatcache(true, $path); return @fileinode($path); }
    static function ocId($path) { return sprintf('%08d', self::fileId($path)) . NC_INSTANCE; }
    static function applyMtime($path) {
        $m = $_SERVER['HTTP_X_OC_MTIME'] ?? null;
        if ($m !== null && is_numeric($m)) {
            touch($path, (int)$m);
            header('X-OC-MTime: accepted');
        }
    }
    static function rrmdir($p) {
        if (is_dir($p) && !is_link($p)) {
            foreach (scandir($p) as $c) if ($c != '.' && $c != '..') self::rrmdir("$p/$c");
            rmdir($p);
        } else @unlink($p);
    }
}

abstract class NcNode extends DAV\FS\Node {
    function getPath() { return $this->path; }
    function setName($name) {
        list($parent,) = DAV\URLUtil::splitPath($this->path);
        list(, $newName) = DAV\URLUtil::splitPath($name);
        $newPath = $parent . '/' . $newName;
        rename($this->path, $newPath);
        $this->path = $newPath;
        Meta::bump($newPath);
    }
}

class NcDir extends NcNode implements DAV\ICollection, DAV\IQuota {
    function createFile($name, $data = null) {
        $p = $this->path . '/' . $name;
        file_put_contents($p, $data);
        Meta::applyMtime($p);
        Meta::bump($p);
        return '"' . Meta::etag($p) . '"';
    }
    function createDirectory($name) {
        $p = $this->path . '/' . $name;
        mkdir($p);
        Meta::bump($p);
    }
    function getChild($name) {
        $p = $this->path . '/' . $name;
        if (!file_exists($p)) throw new DAV\Exception\NotFound('Not found: ' . $name);
        return is_dir($p) ? new NcDir($p) : new NcFile($p);
    }
    function getChildren() {
        $r = [];
        foreach (scandir($this->path) as $n) if ($n != '.' && $n != '..') $r[] = $this->getChild($n);
        return $r;
    }
    function childExists($name) { return file_exists($this->path . '/' . $name); }
    function delete() { Meta::rrmdir($this->path); Meta::bump(dirname($this->path)); }
    function getQuotaInfo() { return [0, disk_free_space($this->path)]; }
}

class NcFile extends NcNode implements DAV\IFile {
    function put($data) {
        file_put_contents($this->path, $data);   // in place: inode (=fileid) kept
        Meta::applyMtime($this->path);
        Meta::bump($this->path);
        return '"' . Meta::etag($this->path) . '"';
    }
    function get() { return fopen($this->path, 'r'); }
    function delete() { unlink($this->path); Meta::bump(dirname($this->path)); }
    function getSize() { return filesize($this->path); }
    function getETag() { return '"' . Meta::etag($this->path) . '"'; }
    function getContentType() { return null; }
}

class NcTree extends DAV\ObjectTree {
    // real rename() so fileid (inode) survives cross-directory moves
    function move($src, $dst) {
        $s = $this->getNodeForPath($src)->getPath();
        list($dstDir, $dstName) = DAV\URLUtil::splitPath($dst);
        $d = $this->getNodeForPath($dstDir)->getPath() . '/' . $dstName;
        rename($s, $d);
        Meta::bump(dirname($s));
        Meta::bump($d);
        list($srcDir) = DAV\URLUtil::splitPath($src);
        $this->markDirty($srcDir);
        $this->markDirty($dstDir);
    }
}

// nc_tree_size is the bytes below a folder, as Nextcloud reports in oc:size.
function nc_tree_size($dir) {
    $n = 0;
    $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
    foreach ($it as $f) if ($f->isFile()) $n += $f->getSize();
    return $n;
}

class NcPlugin extends DAV\ServerPlugin {
    protected $server;
    function getPluginName() { return 'nc'; }
    function initialize(DAV\Server $server) {
        $this->server = $server;
        $server->xmlNamespaces[NS_OC] = 'oc';
        $server->xmlNamespaces[NS_NC] = 'nc';
        $server->subscribeEvent('beforeGetProperties', [$this, 'beforeGetProperties']);
        $server->subscribeEvent('afterWriteContent', [$this, 'afterWrite']);
        $server->subscribeEvent('afterCreateFile', [$this, 'afterWrite']);
        $server->subscribeEvent('afterBind', [$this, 'afterBind']);
    }
    function beforeGetProperties($path, DAV\INode $node, &$req, &$res) {
        if (!($node instanceof NcNode)) return;
        $p = $node->getPath();
        $isDir = $node instanceof NcDir;
        foreach ($req as $k => $prop) {
            $v = null;
            switch ($prop) {
                case '{DAV:}getetag': $v = '"' . Meta::etag($p) . '"'; break;
                case '{' . NS_OC . '}fileid': $v = (string)Meta::fileId($p); break;
                case '{' . NS_OC . '}id': $v = Meta::ocId($p); break;
                case '{' . NS_OC . '}permissions': $v = $isDir ? 'RGDNVCK' : 'RGDNVW'; break;
                case '{' . NS_OC . '}size': $v = $isDir ? (string)nc_tree_size($p) : (string)filesize($p); break;
                case '{' . NS_OC . '}data-fingerprint': $v = ''; break;
                case '{' . NS_OC . '}share-types': $v = ''; break;
                case '{' . NS_OC . '}favorite': $v = '0'; break;
                case '{' . NS_NC . '}is-encrypted': $v = '0'; break;
                case '{' . NS_NC . '}has-preview': $v = 'false'; break;
                case '{' . NS_NC . '}mount-type': $v = ''; break;
                case '{DAV:}quota-available-bytes': $v = '-3'; break;
                case '{DAV:}quota-used-bytes': $v = '0'; break;
            }
            if ($v !== null) { $res[200][$prop] = $v; unset($req[$k]); }
        }
    }
    function afterWrite($uri, $node = null) {
        $n = $this->server->tree->getNodeForPath($uri);
        $p = $n->getPath();
        header('OC-ETag: "' . Meta::etag($p) . '"');
        header('OC-FileId: ' . Meta::ocId($p));
    }
    function afterBind($uri) {
        try {
            $n = $this->server->tree->getNodeForPath($uri);
            header('OC-FileId: ' . Meta::ocId($n->getPath()));
            if ($n instanceof NcDir) header('OC-ETag: "' . Meta::etag($n->getPath()) . '"');
        } catch (DAV\Exception\NotFound $e) {}
    }
}

class FixedBasic extends DAV\Auth\Backend\AbstractBasic {
    protected function validateUserPass($u, $p) { return nc_password_ok($u, $p); }
}

function nc_dav_server($baseUri) {
    $server = new DAV\Server(new NcTree(new NcDir(Meta::$root)));
    $server->setBaseUri($baseUri);
    $server->addPlugin(new DAV\Auth\Plugin(new FixedBasic(), 'Nextcloud'));
    $server->addPlugin(new DAV\Locks\Plugin(new DAV\Locks\Backend\File(NC_DATA . '/locks.dat')));
    $server->addPlugin(new NcPlugin());
    return $server;
}
