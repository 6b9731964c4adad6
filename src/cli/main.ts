console.log('mcp-manager: not implemented yet');
