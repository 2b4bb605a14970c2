<?php
// Login Flow v2 for the fake Nextcloud (required by router.php; returns true when it answered).
//   POST /index.php/login/v2                 start: {poll:{token,endpoint}, login}
//   GET  /index.php/login/v2/flow/<id>       the login page (a small form)
//   POST /index.php/login/v2/flow/<id>       user+password: on success grants a new app password
//   POST /index.php/login/v2/poll  token=T   404 until granted, then {server, loginName, appPassword} once
//   GET /ocs/v2.php/core/getapppassword      trades the account password for a new app password
//   DELETE /ocs/v2.php/core/apppassword      revokes the app password used to authenticate (as Nextcloud)
// Flows live in NC_DATA/loginflow/<id>.json; app passwords are appended to NC_DATA/app-passwords
// as "<sha256 hex> <label>" (router.php's nc_password_ok accepts them).
// env: NC_FLOW_EXPIRE  seconds a flow lives (default 1200, like Nextcloud's 20 minutes)

$lf_path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
$lf_method = $_SERVER['REQUEST_METHOD'];
$lf_dir = NC_DATA . '/loginflow';

function lf_base() { return 'http://' . $_SERVER['HTTP_HOST']; }
function lf_rand($n) { // alphanumeric, like Nextcloud's tokens and app passwords
    $abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'; $s = '';
    for ($i = 0; $i < $n; $i++) $s .= $abc[random_int(0, strlen($abc) - 1)];
    return $s;
}
function lf_file($id) { global $lf_dir; return $lf_dir . '/' . $id . '.json'; }
function lf_load($id) {
    if (!preg_match('/^[A-Za-z0-9]{1,128}$/', $id)) return null;
    $f = @file_get_contents(lf_file($id));
    if ($f === false) return null;
    $flow = json_decode($f, true);
    $ttl = (int)(getenv('NC_FLOW_EXPIRE') ?: 1200);
    if (!$flow || time() - $flow['started'] > $ttl) { @unlink(lf_file($id)); return null; }
    return $flow;
}
function lf_save($id, $flow) {
    $tmp = lf_file($id) . '.' . getmypid() . '.tmp';
    file_put_contents($tmp, json_encode($flow));
    rename($tmp, lf_file($id));
}
function lf_page($code, $body) {
    http_response_code($code);
    header('Content-Type: text/html; charset=utf-8');
    header("Content-Security-Policy: frame-ancestors 'self'");
    echo "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Nextcloud - Connect</title></head><body><main>$body</main></body></html>";
    return true;
}
function lf_form($id, $msg = '') {
    $err = $msg ? '<p role="alert" id="error">' . htmlspecialchars($msg) . '</p>' : '';
    return "<h1>Connect to your account</h1>$err<form method=\"post\" action=\"/index.php/login/v2/flow/$id\">"
        . '<label for="user">Account name</label><input id="user" name="user" autocomplete="username" required>'
        . '<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>'
        . '<button type="submit" id="submit">Grant access</button></form>';
}

if ($lf_path === '/index.php/login/v2' && $lf_method === 'POST') {
    @mkdir($lf_dir, 0700, true);
    $id = lf_rand(64);
    $token = lf_rand(128);
    lf_save($id, ['started' => time(), 'pollHash' => hash('sha256', $token),
        'label' => $_SERVER['HTTP_USER_AGENT'] ?? 'unknown client']);
    // the poll token maps to the flow through its hash, as Nextcloud stores it
    file_put_contents($lf_dir . '/poll-' . hash('sha256', $token), $id);
    return json_out(200, ['poll' => ['token' => $token, 'endpoint' => lf_base() . '/index.php/login/v2/poll'],
        'login' => lf_base() . '/index.php/login/v2/flow/' . $id]);
}
if (preg_match('#^/index\.php/login/v2/flow/([A-Za-z0-9]+)$#', $lf_path, $m)) {
    $id = $m[1];
    $flow = lf_load($id);
    if (!$flow) return lf_page(404, '<h1>This link has expired</h1><p>Start signing in again from your client.</p>');
    if (!empty($flow['granted'])) return lf_page(200, '<h1 id="done">Account connected</h1><p>You can close this window.</p>');
    if ($lf_method === 'GET') return lf_page(200, lf_form($id));
    if ($lf_method !== 'POST') { http_response_code(405); return true; }
    $u = $_POST['user'] ?? ''; $p = $_POST['password'] ?? '';
    if (!nc_password_ok($u, $p)) return lf_page(403, lf_form($id, 'Wrong account name or password.'));
    $app = lf_rand(72);
    $line = hash('sha256', $app) . ' ' . preg_replace('/[\r\n]/', ' ', $flow['label']) . "\n";
    file_put_contents(NC_DATA . '/app-passwords', $line, FILE_APPEND | LOCK_EX);
    $flow['granted'] = true; $flow['loginName'] = $u; $flow['appPassword'] = $app;
    lf_save($id, $flow);
    return lf_page(200, '<h1 id="done">Account connected</h1><p>You can close this window.</p>');
}
if ($lf_path === '/index.php/login/v2/poll' && $lf_method === 'POST') {
    $token = $_POST['token'] ?? '';
    $map = $lf_dir . '/poll-' . hash('sha256', $token);
    $id = $token === '' ? false : @file_get_contents($map);
    $flow = $id === false ? null : lf_load($id);
    if (!$flow || empty($flow['granted'])) return json_out(404, []);
    // claim it: only one poll gets the app password, then the flow is gone
    if (!@rename(lf_file($id), lf_file($id) . '.claimed.' . getmypid())) return json_out(404, []);
    @unlink(lf_file($id) . '.claimed.' . getmypid());
    @unlink($map);
    return json_out(200, ['server' => lf_base(), 'loginName' => $flow['loginName'], 'appPassword' => $flow['appPassword']]);
}
if ($lf_path === '/ocs/v2.php/core/getapppassword' && $lf_method === 'GET') {
    // trade the account password for an app password; an app password gets 403, as in Nextcloud
    $u = $_SERVER['PHP_AUTH_USER'] ?? null; $p = $_SERVER['PHP_AUTH_PW'] ?? '';
    if (!nc_password_ok($u, $p)) { header('WWW-Authenticate: Basic realm="Nextcloud"'); return ocs(2, [], false); }
    if (!hash_equals(NC_PASS, $p)) { http_response_code(403); return ocs_403(); }
    $app = lf_rand(72);
    $label = preg_replace('/[\r\n]/', ' ', $_SERVER['HTTP_USER_AGENT'] ?? 'unknown client');
    file_put_contents(NC_DATA . '/app-passwords', hash('sha256', $app) . ' ' . $label . "\n", FILE_APPEND | LOCK_EX);
    return ocs(2, ['apppassword' => $app]);
}
function ocs_403() {
    return json_out(403, ['ocs' => ['meta' => ['status' => 'failure', 'statuscode' => 403, 'message' => ''], 'data' => []]]);
}
if ($lf_path === '/ocs/v2.php/core/apppassword' && $lf_method === 'DELETE') {
    $u = $_SERVER['PHP_AUTH_USER'] ?? null; $p = $_SERVER['PHP_AUTH_PW'] ?? '';
    if (!nc_password_ok($u, $p) || hash_equals(NC_PASS, $p)) {   // only an app password can revoke itself
        header('WWW-Authenticate: Basic realm="Nextcloud"');
        return ocs(2, [], false);
    }
    $h = hash('sha256', $p);
    $f = NC_DATA . '/app-passwords';
    $fp = fopen($f, 'c+'); flock($fp, LOCK_EX);
    $keep = '';
    while (($l = fgets($fp)) !== false) if (strtok($l, ' ') !== $h) $keep .= $l;
    ftruncate($fp, 0); rewind($fp); fwrite($fp, $keep); fflush($fp); flock($fp, LOCK_UN); fclose($fp);
    return ocs(2, []);
}
return false;
