console.log(JSON.stringify({todo:true}));
