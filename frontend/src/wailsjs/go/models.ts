export namespace accounts {
	
	export class Files {
	    serverUrl: string;
	    loginName: string;
	    userId: string;
	    displayName?: string;
	    email?: string;
	    // Go type: time
	    signedIn: any;
	    needsSignIn?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Files(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.serverUrl = source["serverUrl"];
	        this.loginName = source["loginName"];
	        this.userId = source["userId"];
	        this.displayName = source["displayName"];
	        this.email = source["email"];
	        this.signedIn = this.convertValues(source["signedIn"], null);
	        this.needsSignIn = source["needsSignIn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Mail {
	    // Go type: mail
	    imap: any;
	    // Go type: mail
	    smtp: any;
	    username: string;
	    auth: string;
	    address?: string;
	    // Go type: time
	    signedIn: any;
	    needsSignIn?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Mail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.imap = this.convertValues(source["imap"], null);
	        this.smtp = this.convertValues(source["smtp"], null);
	        this.username = source["username"];
	        this.auth = source["auth"];
	        this.address = source["address"];
	        this.signedIn = this.convertValues(source["signedIn"], null);
	        this.needsSignIn = source["needsSignIn"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace app {
	
	export class Problem {
	    code: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.message = source["message"];
	    }
	}
	export class FlowState {
	    active: boolean;
	    loginUrl?: string;
	    polls: number;
	    problem?: Problem;
	    warnings?: string[];
	
	    static createFrom(source: any = {}) {
	        return new FlowState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.loginUrl = source["loginUrl"];
	        this.polls = source["polls"];
	        this.problem = this.convertValues(source["problem"], Problem);
	        this.warnings = source["warnings"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AccountsState {
	    domain: string;
	    domainLocked: boolean;
	    connected: boolean;
	    files?: accounts.Files;
	    mail?: accounts.Mail;
	    flow: FlowState;
	    problem?: Problem;
	
	    static createFrom(source: any = {}) {
	        return new AccountsState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.domainLocked = source["domainLocked"];
	        this.connected = source["connected"];
	        this.files = this.convertValues(source["files"], accounts.Files);
	        this.mail = this.convertValues(source["mail"], accounts.Mail);
	        this.flow = this.convertValues(source["flow"], FlowState);
	        this.problem = this.convertValues(source["problem"], Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DiscoverResult {
	    domain: string;
	    checks: suite.Check[];
	    problem?: Problem;
	
	    static createFrom(source: any = {}) {
	        return new DiscoverResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.checks = this.convertValues(source["checks"], suite.Check);
	        this.problem = this.convertValues(source["problem"], Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FilesDrop {
	    active: boolean;
	    done: number;
	    total: number;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new FilesDrop(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.active = source["active"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.error = source["error"];
	    }
	}
	export class FilesStatus {
	    folder: string;
	    server: string;
	    ready: boolean;
	    problem: string;
	    sync: filesync.Status;
	    files: number;
	    bytes: number;
	    conflicts: filesync.Conflict[];
	    errors: filesync.FileError[];
	    drop: FilesDrop;
	
	    static createFrom(source: any = {}) {
	        return new FilesStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.server = source["server"];
	        this.ready = source["ready"];
	        this.problem = source["problem"];
	        this.sync = this.convertValues(source["sync"], filesync.Status);
	        this.files = source["files"];
	        this.bytes = source["bytes"];
	        this.conflicts = this.convertValues(source["conflicts"], filesync.Conflict);
	        this.errors = this.convertValues(source["errors"], filesync.FileError);
	        this.drop = this.convertValues(source["drop"], FilesDrop);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class LauncherApp {
	    id: string;
	    name: string;
	    nameDe: string;
	    letter: string;
	    color: string;
	    url: string;
	    key: number;
	
	    static createFrom(source: any = {}) {
	        return new LauncherApp(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.nameDe = source["nameDe"];
	        this.letter = source["letter"];
	        this.color = source["color"];
	        this.url = source["url"];
	        this.key = source["key"];
	    }
	}
	export class ListPage {
	    total: number;
	    items: mailcache.Summary[];
	
	    static createFrom(source: any = {}) {
	        return new ListPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.items = this.convertValues(source["items"], mailcache.Summary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LocalItem {
	    id: string;
	    view: string;
	    state: string;
	    // Go type: time
	    lastSync: any;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new LocalItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.view = source["view"];
	        this.state = source["state"];
	        this.lastSync = this.convertValues(source["lastSync"], null);
	        this.detail = source["detail"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailForm {
	    address: string;
	    username: string;
	    password: string;
	    imapHost: string;
	    imapPort: number;
	    imapSecurity: string;
	    smtpHost: string;
	    smtpPort: number;
	    smtpSecurity: string;
	    found: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MailForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.address = source["address"];
	        this.username = source["username"];
	        this.password = source["password"];
	        this.imapHost = source["imapHost"];
	        this.imapPort = source["imapPort"];
	        this.imapSecurity = source["imapSecurity"];
	        this.smtpHost = source["smtpHost"];
	        this.smtpPort = source["smtpPort"];
	        this.smtpSecurity = source["smtpSecurity"];
	        this.found = source["found"];
	    }
	}
	export class MailPolicy {
	    bodyDays: number;
	    attachmentMB: number;
	    bodyDaysLocked: boolean;
	    attachmentLocked: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MailPolicy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.bodyDays = source["bodyDays"];
	        this.attachmentMB = source["attachmentMB"];
	        this.bodyDaysLocked = source["bodyDaysLocked"];
	        this.attachmentLocked = source["attachmentLocked"];
	    }
	}
	export class MessageView {
	    id: number;
	    folder: string;
	    subject: string;
	    from: string;
	    to: string;
	    // Go type: time
	    date: any;
	    size: number;
	    seen: boolean;
	    flagged: boolean;
	    answered: boolean;
	    hasAttachments: boolean;
	    snippet: string;
	    bodyCached: boolean;
	    cc: string;
	    text: string;
	    html: string;
	    blocked: number;
	    attachments: mailcache.Attachment[];
	    offline: boolean;
	    problems: string[];
	
	    static createFrom(source: any = {}) {
	        return new MessageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.folder = source["folder"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.date = this.convertValues(source["date"], null);
	        this.size = source["size"];
	        this.seen = source["seen"];
	        this.flagged = source["flagged"];
	        this.answered = source["answered"];
	        this.hasAttachments = source["hasAttachments"];
	        this.snippet = source["snippet"];
	        this.bodyCached = source["bodyCached"];
	        this.cc = source["cc"];
	        this.text = source["text"];
	        this.html = source["html"];
	        this.blocked = source["blocked"];
	        this.attachments = this.convertValues(source["attachments"], mailcache.Attachment);
	        this.offline = source["offline"];
	        this.problems = source["problems"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Result {
	    ok: boolean;
	    warnings?: string[];
	    problem?: Problem;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.warnings = source["warnings"];
	        this.problem = this.convertValues(source["problem"], Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace filesync {
	
	export class Activity {
	    id: number;
	    kind: string;
	    path: string;
	    to: string;
	    size: number;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new Activity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.path = source["path"];
	        this.to = source["to"];
	        this.size = source["size"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Conflict {
	    copy: string;
	    original: string;
	    // Go type: time
	    at: any;
	
	    static createFrom(source: any = {}) {
	        return new Conflict(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.copy = source["copy"];
	        this.original = source["original"];
	        this.at = this.convertValues(source["at"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FileError {
	    path: string;
	    op: string;
	    message: string;
	    // Go type: time
	    at: any;
	    attempts: number;
	
	    static createFrom(source: any = {}) {
	        return new FileError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.op = source["op"];
	        this.message = source["message"];
	        this.at = this.convertValues(source["at"], null);
	        this.attempts = source["attempts"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Progress {
	    filesDone: number;
	    filesTotal: number;
	    bytesDone: number;
	    bytesTotal: number;
	    rate: number;
	    etaSeconds: number;
	    current: string;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.filesDone = source["filesDone"];
	        this.filesTotal = source["filesTotal"];
	        this.bytesDone = source["bytesDone"];
	        this.bytesTotal = source["bytesTotal"];
	        this.rate = source["rate"];
	        this.etaSeconds = source["etaSeconds"];
	        this.current = source["current"];
	    }
	}
	export class Status {
	    state: string;
	    // Go type: time
	    lastSync: any;
	    lastError: string;
	    progress: Progress;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.lastSync = this.convertValues(source["lastSync"], null);
	        this.lastError = source["lastError"];
	        this.progress = this.convertValues(source["progress"], Progress);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TreeEntry {
	    name: string;
	    path: string;
	    isDir: boolean;
	    size: number;
	    mtime: number;
	    state: string;
	    reason: string;
	    done: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new TreeEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.path = source["path"];
	        this.isDir = source["isDir"];
	        this.size = source["size"];
	        this.mtime = source["mtime"];
	        this.state = source["state"];
	        this.reason = source["reason"];
	        this.done = source["done"];
	        this.total = source["total"];
	    }
	}

}

export namespace folder {
	
	export class FolderChange {
	    done: boolean;
	    unsynced: string[];
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new FolderChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.done = source["done"];
	        this.unsynced = source["unsynced"];
	        this.count = source["count"];
	    }
	}
	export class Lists {
	    ignore: string[];
	    excluded: string[];
	
	    static createFrom(source: any = {}) {
	        return new Lists(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ignore = source["ignore"];
	        this.excluded = source["excluded"];
	    }
	}
	export class ServerFolder {
	    name: string;
	    path: string;
	    size: number;
	    synced: boolean;
	    inherited: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ServerFolder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.path = source["path"];
	        this.size = source["size"];
	        this.synced = source["synced"];
	        this.inherited = source["inherited"];
	    }
	}

}

export namespace mailcache {
	
	export class Attachment {
	    part: string;
	    name: string;
	    type: string;
	    size: number;
	    offline: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.part = source["part"];
	        this.name = source["name"];
	        this.type = source["type"];
	        this.size = source["size"];
	        this.offline = source["offline"];
	    }
	}
	export class AttachmentFile {
	    name: string;
	    type: string;
	    data: number[];
	
	    static createFrom(source: any = {}) {
	        return new AttachmentFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.data = source["data"];
	    }
	}
	export class DraftAttachment {
	    name: string;
	    type: string;
	    data: number[];
	
	    static createFrom(source: any = {}) {
	        return new DraftAttachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.data = source["data"];
	    }
	}
	export class Draft {
	    from: string;
	    to: string;
	    cc: string;
	    bcc: string;
	    subject: string;
	    text: string;
	    inReplyTo: string;
	    references: string[];
	    attachments: DraftAttachment[];
	
	    static createFrom(source: any = {}) {
	        return new Draft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.cc = source["cc"];
	        this.bcc = source["bcc"];
	        this.subject = source["subject"];
	        this.text = source["text"];
	        this.inReplyTo = source["inReplyTo"];
	        this.references = source["references"];
	        this.attachments = this.convertValues(source["attachments"], DraftAttachment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Dropped {
	    kind: string;
	    folder: string;
	    subject: string;
	    reason: string;
	    at: number;
	
	    static createFrom(source: any = {}) {
	        return new Dropped(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.folder = source["folder"];
	        this.subject = source["subject"];
	        this.reason = source["reason"];
	        this.at = source["at"];
	    }
	}
	export class Folder {
	    name: string;
	    delimiter: string;
	    specialUse: string;
	    total: number;
	    unread: number;
	
	    static createFrom(source: any = {}) {
	        return new Folder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.delimiter = source["delimiter"];
	        this.specialUse = source["specialUse"];
	        this.total = source["total"];
	        this.unread = source["unread"];
	    }
	}
	export class Outgoing {
	    id: number;
	    messageId: string;
	    subject: string;
	    to: string[];
	    state: string;
	    error: string;
	    // Go type: time
	    created: any;
	
	    static createFrom(source: any = {}) {
	        return new Outgoing(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.messageId = source["messageId"];
	        this.subject = source["subject"];
	        this.to = source["to"];
	        this.state = source["state"];
	        this.error = source["error"];
	        this.created = this.convertValues(source["created"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Progress {
	    folder: string;
	    done: number;
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.done = source["done"];
	        this.total = source["total"];
	    }
	}
	export class Response {
	    kind: string;
	    to: string;
	    cc: string;
	    subject: string;
	    inReplyTo: string;
	    references: string[];
	    from: string;
	    // Go type: time
	    date: any;
	    text: string;
	    attachments: Attachment[];
	    partial: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Response(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.to = source["to"];
	        this.cc = source["cc"];
	        this.subject = source["subject"];
	        this.inReplyTo = source["inReplyTo"];
	        this.references = source["references"];
	        this.from = source["from"];
	        this.date = this.convertValues(source["date"], null);
	        this.text = source["text"];
	        this.attachments = this.convertValues(source["attachments"], Attachment);
	        this.partial = source["partial"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SavedDraft {
	    from: string;
	    to: string;
	    cc: string;
	    bcc: string;
	    subject: string;
	    text: string;
	    inReplyTo: string;
	    references: string[];
	    attachments: DraftAttachment[];
	    // Go type: time
	    saved: any;
	
	    static createFrom(source: any = {}) {
	        return new SavedDraft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.cc = source["cc"];
	        this.bcc = source["bcc"];
	        this.subject = source["subject"];
	        this.text = source["text"];
	        this.inReplyTo = source["inReplyTo"];
	        this.references = source["references"];
	        this.attachments = this.convertValues(source["attachments"], DraftAttachment);
	        this.saved = this.convertValues(source["saved"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Status {
	    online: boolean;
	    syncing: boolean;
	    // Go type: time
	    lastSync: any;
	    lastError: string;
	    pending: number;
	    outbox: number;
	    uncertain: number;
	    dropped: number;
	    progress: Progress;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.online = source["online"];
	        this.syncing = source["syncing"];
	        this.lastSync = this.convertValues(source["lastSync"], null);
	        this.lastError = source["lastError"];
	        this.pending = source["pending"];
	        this.outbox = source["outbox"];
	        this.uncertain = source["uncertain"];
	        this.dropped = source["dropped"];
	        this.progress = this.convertValues(source["progress"], Progress);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Summary {
	    id: number;
	    folder: string;
	    subject: string;
	    from: string;
	    to: string;
	    // Go type: time
	    date: any;
	    size: number;
	    seen: boolean;
	    flagged: boolean;
	    answered: boolean;
	    hasAttachments: boolean;
	    snippet: string;
	    bodyCached: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.folder = source["folder"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.date = this.convertValues(source["date"], null);
	        this.size = source["size"];
	        this.seen = source["seen"];
	        this.flagged = source["flagged"];
	        this.answered = source["answered"];
	        this.hasAttachments = source["hasAttachments"];
	        this.snippet = source["snippet"];
	        this.bodyCached = source["bodyCached"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace ncshare {
	
	export class Share {
	    id: string;
	    url: string;
	    token: string;
	    permissions: number;
	    expiration: string;
	
	    static createFrom(source: any = {}) {
	        return new Share(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.url = source["url"];
	        this.token = source["token"];
	        this.permissions = source["permissions"];
	        this.expiration = source["expiration"];
	    }
	}

}

export namespace options {
	
	export class SecondInstanceData {
	    Args: string[];
	    WorkingDirectory: string;
	
	    static createFrom(source: any = {}) {
	        return new SecondInstanceData(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Args = source["Args"];
	        this.WorkingDirectory = source["WorkingDirectory"];
	    }
	}

}

export namespace suite {
	
	export class Check {
	    app: string;
	    url: string;
	    status: string;
	    reason: string;
	    detail?: string;
	
	    static createFrom(source: any = {}) {
	        return new Check(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.app = source["app"];
	        this.url = source["url"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.detail = source["detail"];
	    }
	}

}

