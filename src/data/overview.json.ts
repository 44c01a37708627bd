process.stdout.write(JSON.stringify({months: [{month: "2015-01", n: 10}, {month: "2015-02", n: 12}]}));
