<?php
// Fake-Nextcloud router for `php -S 127.0.0.1:PORT router.php` (see ../ncserver.sh)
// env: NC_DATA  data dir (required): files in NC_DATA/files/NC_USER, ETags in NC_DATA/meta
//      NC_USER / NC_PASS  the one account (default alice / secret)
//      NC_LOG   file to append one line per request to: "METHOD STATUS URI"
//      NC_BULK=0 / NC_CHUNKING=0  hide bulk upload / chunking from the capabilities
//      NC_HOSTILE=1  folder listings also carry unsafe hrefs (../, %2F, NUL, other hosts)
//      NC_PUSH_WS=ws://HOST:PORT/ws  announce notify_push there (the capabilities' notify_push.endpoints)
if (!getenv('NC_DATA')) { http_response_code(500); echo "NC_DATA not set\n"; return true; }
define('NC_DATA', rtrim(getenv('NC_DATA'), '/'));
define('NC_USER', getenv('NC_USER') ?: 'alice');
define('NC_PASS', getenv('NC_PASS') ?: 'secret');
require __DIR__ . '/ncdav.php';
Meta::init(NC_DATA . '/files/' . NC_USER, NC_DATA . '/meta');

if ($log = getenv('NC_LOG')) {
    register_shutdown_function(function () use ($log) {
        file_put_contents($log, $_SERVER['REQUEST_METHOD'] . ' ' . http_response_code() . ' ' . $_SERVER['REQUEST_URI'] . "\n", FILE_APPEND);
    });
}
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
$method = $_SERVER['REQUEST_METHOD'];

function json_out($code, $obj) {
    http_response_code($code);
    header('Content-Type: application/json; charset=utf-8');
    echo json_encode($obj, JSON_UNESCAPED_SLASHES);
    return true;
}
// The account's password, or an app password: NC_DATA/app-passwords holds one line per app password,
// "<sha256 hex of the password> <label>" (Login Flow v2 adds lines; deleting a line revokes it).
function nc_password_ok($u, $p) {
    if ($u !== NC_USER || !is_string($p) || $p === '') return false;
    if (hash_equals(NC_PASS, $p)) return true;
    $lines = @file(NC_DATA . '/app-passwords', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
    $h = hash('sha256', $p);
    foreach ($lines ?: [] as $l) if (hash_equals(strtok($l, ' '), $h)) return true;
    return false;
}
function authed() {
    return nc_password_ok($_SERVER['PHP_AUTH_USER'] ?? null, $_SERVER['PHP_AUTH_PW'] ?? null);
}
function ocs($v, $data, $ok = true) {
    $code = $ok ? ($v == 1 ? 100 : 200) : 997;
    return json_out($ok ? 200 : 401, ['ocs' => ['meta' => ['status' => $ok ? 'ok' : 'failure',
        'statuscode' => $code, 'message' => $ok ? 'OK' : 'Unauthorised'], 'data' => $data]]);
}
// Login Flow v2 (/index.php/login/v2*, /login/v2/flow/*, app-password endpoints) lives in an optional
// loginflow.php; it returns true when it answered the request, anything else falls through.
if (is_file(__DIR__ . '/loginflow.php')) {
    if ((require __DIR__ . '/loginflow.php') === true) return true;
}
$version = ['major' => 25, 'minor' => 0, 'micro' => 3, 'string' => '25.0.3', 'edition' => '', 'extendedSupport' => false];

if ($path === '/status.php') {
    return json_out(200, ['installed' => true, 'maintenance' => false, 'needsDbUpgrade' => false,
        'version' => '25.0.3.2', 'versionstring' => '25.0.3', 'edition' => '', 'productname' => 'Nextcloud',
        'extendedSupport' => false]);
}
if (preg_match('#^/ocs/v([12])\.php/cloud/capabilities#', $path, $m)) {
    $dav = getenv('NC_CHUNKING') === '0' ? [] : ['chunking' => '1.0'];
    if (getenv('NC_BULK') !== '0') $dav['bulkupload'] = '1.0';   // NC >= 25 advertises this
    $caps = [
        'core' => ['pollinterval' => 60, 'webdav-root' => 'remote.php/webdav',
                   'status' => ['version' => '25.0.3.2']],
        'dav' => $dav,
        'files' => ['bigfilechunking' => true, 'undelete' => false, 'versioning' => false],
        'checksums' => ['supportedTypes' => ['SHA1'], 'preferredUploadType' => 'SHA1'],
    ];
    // NC_PUSH_WS=ws://...: the notify_push app is set up with its daemon there (../notifypush.sh)
    if ($ws = getenv('NC_PUSH_WS')) $caps['notify_push'] = ['type' => ['files', 'activities', 'notifications'],
        'endpoints' => ['websocket' => $ws, 'pre_auth' => preg_replace('#^ws(s?)://#', 'http$1://', $ws) . '/pre_auth']];
    return ocs($m[1], ['version' => $version, 'capabilities' => $caps]);
}
// Notifications app (OCS v2 JSON like Nextcloud's): the list is NC_DATA/notifications.json, a JSON array
// of {notification_id, app, subject, message, link, datetime}; a test adds one by rewriting that file.
// No file: the app is "not installed" (404); DELETE .../notifications/ID dismisses one.
if (preg_match('#^/ocs/v([12])\.php/apps/notifications/api/v2/notifications(?:/(\d+))?$#', $path, $m)) {
    if (!authed()) { header('WWW-Authenticate: Basic realm="Nextcloud"'); return ocs($m[1], [], false); }
    $f = NC_DATA . '/notifications.json';
    if (!is_file($f)) { http_response_code(404); return true; }
    $list = json_decode((string)file_get_contents($f), true) ?: [];
    if ($method === 'DELETE' && isset($m[2])) {
        $list = array_values(array_filter($list, function ($n) use ($m) { return (string)$n['notification_id'] !== $m[2]; }));
        file_put_contents($f, json_encode($list), LOCK_EX);
        return ocs($m[1], []);
    }
    $out = [];
    foreach ($list as $n) $out[] = $n + ['app' => 'files', 'user' => NC_USER, 'datetime' => gmdate('c'), 'object_type' => '',
        'object_id' => '', 'subjectRich' => '', 'subjectRichParameters' => [], 'messageRich' => '',
        'messageRichParameters' => [], 'link' => '', 'icon' => '', 'actions' => [], 'shouldNotify' => true];
    return ocs($m[1], $out);
}
// Files sharing (OCS v1/v2, as Nextcloud): public links (shareType 3) only. Shares are kept in
// NC_DATA/shares.json; NC_DATA/share-policy.json may set {"enforcePassword": true, "maxExpireDays": N}.
// Without the OCS-APIRequest header the request is refused like Nextcloud's CSRF check (997, HTTP 401).
if (preg_match('#^/ocs/v([12])\.php/apps/files_sharing/api/v1/shares(?:/(\d+))?$#', $path, $m)) {
    require __DIR__ . '/shares.php';
    return nc_shares($m[1], $method, $m[2] ?? null);
}
if (preg_match('#^/ocs/v([12])\.php/cloud/user(s/[^/]+)?$#', $path, $m)) {
    if (!authed()) { header('WWW-Authenticate: Basic realm="Nextcloud"'); return ocs($m[1], [], false); }
    return ocs($m[1], ['enabled' => true, 'id' => NC_USER, 'display-name' => ucfirst(NC_USER),
        'displayname' => ucfirst(NC_USER), 'email' => null,
        'quota' => ['free' => disk_free_space(NC_DATA), 'used' => 0, 'total' => disk_free_space(NC_DATA),
                    'relative' => 0, 'quota' => -3]]);
}
if (preg_match('#^/remote\.php/dav/uploads/' . preg_quote(NC_USER) . '(/.*)?$#', $path, $m)) {
    if (!authed()) { header('WWW-Authenticate: Basic realm="Nextcloud"'); http_response_code(401); return true; }
    require __DIR__ . '/uploads.php';
    return nc_uploads($method, trim($m[1] ?? '', '/'));
}
if ($path === '/remote.php/dav/bulk' && $method === 'POST') {
    if (!authed()) { header('WWW-Authenticate: Basic realm="Nextcloud"'); http_response_code(401); return true; }
    require __DIR__ . '/bulk.php';
    return nc_bulk();
}
if (preg_match('#^/remote\.php/dav/files/' . preg_quote(NC_USER) . '(/|$)#', $path)) {
    $hostile = getenv('NC_HOSTILE') === '1' && $method === 'PROPFIND' && ($_SERVER['HTTP_DEPTH'] ?? '1') !== '0';
    if ($hostile) ob_start();
    nc_dav_server('/remote.php/dav/files/' . NC_USER . '/')->exec();
    if ($hostile) echo nc_hostile(ob_get_clean(), parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
    return true;
}
// NC_HOSTILE=1: every folder listing also carries entries a safe client must refuse
function nc_hostile($xml, $base) {
    $base = rtrim($base, '/') . '/';
    $evil = [$base . '..%2F..%2Fescaped.txt', $base . '../../../../etc/evil.txt', $base . '%2E%2E',
             $base . 'nul%00byte.txt', 'http://evil.example' . $base . 'elsewhere.txt',
             '/remote.php/dav/files/' . NC_USER . '-other/foreign.txt', $base . 'deeper/nested.txt'];
    $x = '';
    foreach ($evil as $h) {
        $x .= '<d:response><d:href>' . htmlspecialchars($h, ENT_XML1) . '</d:href><d:propstat><d:prop>'
            . '<d:resourcetype/><d:getcontentlength>4</d:getcontentlength><d:getetag>"evil"</d:getetag>'
            . '</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>';
    }
    return str_replace('</d:multistatus>', $x . '</d:multistatus>', $xml);
}
if (preg_match('#^/remote\.php/webdav(/|$)#', $path)) {
    nc_dav_server('/remote.php/webdav/')->exec();
    return true;
}
http_response_code(404);
echo "not found: $path\n";
return true;
