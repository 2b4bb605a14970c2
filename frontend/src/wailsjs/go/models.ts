export namespace app {
	
	export class LauncherApp {
	    id: string;
	    name: string;
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
	        this.letter = source["letter"];
	        this.color = source["color"];
	        this.url = source["url"];
	        this.key = source["key"];
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

