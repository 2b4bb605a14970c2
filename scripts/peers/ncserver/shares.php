<?php
// OCS files_sharing API of the fake Nextcloud (see router.php).
function nc_share_fail($v, $http, $code, $msg) {
    return json_out($v == 1 ? 200 : $http, ['ocs' => ['meta' => ['status' => 'failure', 'statuscode' => $code,
        'message' => $msg], 'data' => []]]);
}
function nc_shares($v, $method, $id) {
    if (!authed()) { header('WWW-Authenticate: Basic realm="Nextcloud"'); return ocs($v, [], false); }
    if (strtolower($_SERVER['HTTP_OCS_APIREQUEST'] ?? '') !== 'true') {
        return nc_share_fail($v, 401, 997, 'CSRF check failed');
    }
    $f = NC_DATA . '/shares.json';
    $shares = is_file($f) ? (json_decode((string)file_get_contents($f), true) ?: []) : [];
    $ok = function ($data) use ($v) {
        return json_out(200, ['ocs' => ['meta' => ['status' => 'ok', 'statuscode' => $v == 1 ? 100 : 200, 'message' => 'OK'], 'data' => $data]]);
    };
    $pub = function ($s) { $x = $s; unset($x['password_hash']); $x['password'] = $s['password_hash'] ? '***' : null; return $x; };
    if ($method === 'GET') return $ok(array_map($pub, array_values($shares)));
    if ($method !== 'POST' || $id !== null) return nc_share_fail($v, 405, 405, 'method not allowed');
    $in = $_POST;
    $rel = '/' . trim((string)($in['path'] ?? ''), '/');
    $abs = NC_DATA . '/files/' . NC_USER . $rel;
    if ($rel === '/' || strpos($rel, '/../') !== false || substr($rel, -3) === '/..' || !file_exists($abs)) {
        return nc_share_fail($v, 404, 404, 'Wrong path, file/folder does not exist');
    }
    if ((string)($in['shareType'] ?? '') !== '3') return nc_share_fail($v, 400, 400, 'Unknown share type');
    $policy = is_file(NC_DATA . '/share-policy.json') ? (json_decode((string)file_get_contents(NC_DATA . '/share-policy.json'), true) ?: []) : [];
    $pw = (string)($in['password'] ?? '');
    if (!empty($policy['enforcePassword']) && $pw === '') {
        return nc_share_fail($v, 403, 403, 'Passwords are enforced for link and mail shares');
    }
    $exp = null;
    if (($in['expireDate'] ?? '') !== '') {
        $d = DateTime::createFromFormat('!Y-m-d', (string)$in['expireDate']);
        if (!$d) return nc_share_fail($v, 404, 404, 'Invalid date. Format must be YYYY-MM-DD');
        if ($d < new DateTime('today')) return nc_share_fail($v, 404, 404, 'Expiration date is in the past');
        if (!empty($policy['maxExpireDays']) && $d > new DateTime('today +' . (int)$policy['maxExpireDays'] . ' days')) {
            return nc_share_fail($v, 404, 404, 'Cannot set expiration date more than ' . (int)$policy['maxExpireDays'] . ' days in the future');
        }
        $exp = $d->format('Y-m-d 00:00:00');
    }
    // As Nextcloud: the permissions asked for (read only when none), less
    // what a link cannot give (share; create/delete on a file).
    $perm = (int)($in['permissions'] ?? 1) & ~16;
    if (!is_dir($abs)) $perm &= ~(4 | 8);
    if (($perm & 1) === 0) return nc_share_fail($v, 400, 400, 'Share must at least have READ or CREATE permissions');
    $token = substr(strtr(base64_encode(random_bytes(12)), '+/', 'Ab'), 0, 15);
    $newId = count($shares) ? max(array_keys($shares)) + 1 : 1;
    $scheme = 'http://' . $_SERVER['HTTP_HOST'];
    $s = ['id' => $newId, 'share_type' => 3, 'uid_owner' => NC_USER, 'path' => $rel,
          'item_type' => is_dir($abs) ? 'folder' : 'file', 'permissions' => $perm,
          'token' => $token, 'url' => $scheme . '/s/' . $token, 'expiration' => $exp,
          'password_hash' => $pw === '' ? null : password_hash($pw, PASSWORD_DEFAULT)];
    $shares[$newId] = $s;
    file_put_contents($f, json_encode($shares), LOCK_EX);
    return $ok($pub($s));
}
